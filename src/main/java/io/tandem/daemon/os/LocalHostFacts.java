package io.tandem.daemon.os;

import io.tandem.config.HostFacts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@link HostFacts} of the machine we run on: {@code uname -n} and its network interfaces. */
public final class LocalHostFacts implements HostFacts {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    /** {@code uname -n}, lower-cased as heartbeat does (kernel hostname; the resolver is not asked). */
    @Override
    public String hostname() {
        try {
            String name = new String(Files.readAllBytes(KERNEL_HOSTNAME), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name.toLowerCase(Locale.ROOT);
            }
        } catch (IOException e) {
            // not Linux: fall back to the JDK's view of the local host name
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public boolean interfaceExists(String name) {
        try {
            return NetworkInterface.getByName(name) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
