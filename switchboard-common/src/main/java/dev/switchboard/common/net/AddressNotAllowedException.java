package dev.switchboard.common.net;

/**
 * An outbound URL names or resolves to an address {@link OutboundAddressPolicy} refuses; nothing was sent. The
 * message says which host and address and why (for logs and validation messages; it holds no secret).
 */
public class AddressNotAllowedException extends RuntimeException {

    /** @param message which host/address is refused and why */
    public AddressNotAllowedException(String message) {
        super(message);
    }
}
