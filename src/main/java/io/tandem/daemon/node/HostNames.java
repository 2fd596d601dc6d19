package io.tandem.daemon.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** This node's name as heartbeat finds it: the first line of {@code nodeinfo}, else {@code uname -n}, lower-cased. */
public final class HostNames {
    private HostNames() {
    }

    public static String localNode(Path confDir) {
        Path nodeinfo = confDir.resolve("nodeinfo");
        try {
            if (Files.isReadable(nodeinfo)) {
                String first = Files.readAllLines(nodeinfo, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
                if (!first.isEmpty()) {
                    return first.toLowerCase(Locale.ROOT);
                }
            }
        } catch (IOException e) {
            // unreadable nodeinfo: heartbeat falls back to uname -n as well
        }
        return uname().toLowerCase(Locale.ROOT);
    }

    /** {@code uname -n}: the kernel's host name (of this UTS namespace). */
    public static String uname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException u) {
                return "localhost";
            }
        }
    }
}
