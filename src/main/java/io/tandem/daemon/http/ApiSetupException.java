package io.tandem.daemon.http;

/** The HTTP API cannot start as configured; the message names the file at fault and why. */
public final class ApiSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApiSetupException(String message) {
        super(message);
    }
}
