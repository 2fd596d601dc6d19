package io.tandem.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test program for {@link LabTest}: prints the host name it sees and its arguments, then waits for "quit". */
public final class LabHostMain {
    private LabHostMain() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("hostname " + Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        System.out.println("args " + String.join(" ", args));
        System.out.println("ha.d " + Files.exists(Path.of("/etc/ha.d/lab-marker")));
        while (System.in.read() >= 0) {
            // keep running until stdin closes
        }
    }
}
