package dev.switchboard.supervisor.peers;

/**
 * 409 {@code stale-fencing-token} from state-service: the write carried an older fencing token than the session
 * already accepted or than the session's newest lease, i.e. this replica's lease was taken over; nothing was written.
 */
public class StaleFencingTokenException extends PeerRejectedException {

    /** @param detail the peer's detail */
    public StaleFencingTokenException(String detail) {
        super("stale-fencing-token", "Stale fencing token", 409, detail);
    }
}
