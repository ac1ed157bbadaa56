package dev.throughline.app.recording;

import java.util.ArrayList;
import java.util.List;

/**
 * A command line typed into one text field, split into argv as a POSIX shell would split a simple command: on
 * blanks, with '…' and "…" quoting and backslash escapes. No variables, globs or pipes: the words go to
 * {@link ProcessBuilder} as they are.
 */
public final class CommandWords {
    private CommandWords() {
    }

    /** The words; an unclosed quote is an error naming it. */
    public static List<String> split(String line) throws RecordingError {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new RecordingError("the command has an unclosed " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
