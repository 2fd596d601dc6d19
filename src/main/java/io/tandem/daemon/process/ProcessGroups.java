package io.tandem.daemon.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads process-group membership from {@code /proc}. */
final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /** True if some process (other than a zombie) still belongs to group {@code pgid}. */
    static boolean alive(long pgid) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                Long group = groupOf(dir);
                if (group != null && group == pgid) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Field 5 of {@code /proc/PID/stat} (after the command name in parentheses); null for zombies and vanished processes. */
    private static Long groupOf(Path dir) {
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).split(" ");
        if (f.length < 3 || f[0].equals("Z") || f[0].equals("X")) {
            return null;
        }
        try {
            return Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
