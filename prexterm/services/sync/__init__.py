"""Keep the views of one talk on the same slide: the playing process leads, others follow.

`prexterm DECK` starts a `SyncLeader`; `prexterm notes DECK` and `prexterm follow DECK`
start a `SyncFollower`. Navigation in any of them moves all of them: a follower sends
`goto`, the leader applies it and broadcasts the resulting `state` to every follower.
Besides the slide, the state carries what every view shares: the talk clock (as a state:
running, paused or not started, and the seconds so far, never as ticks; each view runs
it on with its own clock) and whether the presenter blanked the screen.

Why it is built this way:

* Only the same user may take part. The transport is a Unix domain socket (never TCP) in a
  private directory (mode 0700, owned by us, not a symlink), the socket file is 0600, the
  leader checks each peer's uid with SO_PEERCRED and followers check the socket file's
  owner and mode, and the leader's uid, before they talk.
* One socket per deck, named after a hash of the deck's real path, so two talks of two
  decks never mix, and `deck.md` and `./talks/../deck.md` meet on the same socket.
* Leadership is an exclusive `flock` on a lock file next to the socket. The kernel drops it
  when the leader dies, so a crash never leaves the deck "taken"; a socket file left by a
  crash is stale and replaced. A second player of the same deck gets
  `LeaderAlreadyRunning` and plays without sync.
* Messages are small newline-delimited JSON objects with a version. Anything malformed is
  dropped with a log line on the "prexterm.sync" logger: a bad peer never crashes a talk.
* The leader never waits on one follower to serve another: it writes to every transport,
  then waits for the drains together with a timeout, and drops a follower that cannot keep
  up (too much unread data, or a drain that does not finish in time).
* No follower can hold the presenter: at most `MAX_FOLLOWERS` connections, a new one
  taking the place of the idlest (silent ones first), so idle connections never lock a
  view out; each connection is read `TURN_BYTES` at a time between the app's own work,
  and a burst of gotos moves the talk to its last one, not through all of them.
* Followers survive the leader: they report the disconnection, keep working alone and
  reconnect in the background, getting the current slide as soon as the leader is back.
  They greet a new leader with the state they hold (slide, clock, blank), and a leader
  made to adopt (`adopt=True`: a presenter restarted without `--slide`) takes the first
  such state as its own before greeting anyone, so a restart throws nobody back to
  slide 1 or the clock back to zero.

Everything runs on one asyncio event loop (Textual's, in the app) and is not thread-safe:
call the methods from the loop's thread. Callbacks run on the loop, synchronously.
"""
