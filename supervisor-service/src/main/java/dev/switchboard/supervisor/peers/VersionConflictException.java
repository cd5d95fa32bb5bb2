package dev.switchboard.supervisor.peers;

/** 412 {@code version-conflict}: the session changed since it was loaded (If-Match mismatch). */
public class VersionConflictException extends PeerRejectedException {

    /** @param detail the peer's detail */
    public VersionConflictException(String detail) {
        super("version-conflict", "Version conflict", 412, detail);
    }
}
