package dev.throughline.app.cli;

/** A problem the user can fix (an existing output file, a refused SQL write): printed as one line, exit 2. */
public final class UserError extends Exception {
    public UserError(String message) {
        super(message);
    }
}
