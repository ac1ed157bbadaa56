package dev.throughline.app.ui;

import java.util.Locale;
import java.util.regex.Pattern;

/** What language a stack frame is in, from its function and file names (frames carry no language column). */
enum FrameKind {
    PYTHON("Python"), JAVA("Java"), NATIVE("native");

    /** A Java method as JVM agents name it: a lower-case package, a class, a method ("java.util.HashMap.get"). */
    private static final Pattern JAVA_METHOD = Pattern.compile("^[a-z_][\\w$]*(\\.[\\w$]+){2,}(\\.<?[\\w$]+>?)?$");

    final String label;

    FrameKind(String label) {
        this.label = label;
    }

    static FrameKind of(String function, String file) {
        if (file != null) {
            String f = file.toLowerCase(Locale.ROOT);
            if (f.endsWith(".py") || f.endsWith(".pyx") || f.startsWith("<frozen") || f.equals("<string>")
                    || f.startsWith("<stdin")) {
                return PYTHON;
            }
            if (f.endsWith(".java") || f.endsWith(".kt") || f.endsWith(".scala")) {
                return JAVA;
            }
            return NATIVE;
        }
        return function != null && JAVA_METHOD.matcher(function).matches() ? JAVA : NATIVE;
    }

    /**
     * The part of a frame that groups it for colouring: a Python file's directory-free name, a Java
     * package, a native library. Frames of one group share a hue so a module reads as one band.
     */
    static String group(FrameKind kind, String function, String file) {
        return switch (kind) {
            case PYTHON -> file == null ? "" : file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
            case JAVA -> {
                String f = function == null ? "" : function;
                int lastDot = f.lastIndexOf('.');
                int classDot = lastDot > 0 ? f.lastIndexOf('.', lastDot - 1) : -1;
                yield classDot > 0 ? f.substring(0, classDot) : f;
            }
            case NATIVE -> file == null ? "" : file;
        };
    }
}
