package io.tandem.daemon.lifecycle;

import io.tandem.daemon.os.Urandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's identity on the wire, stored where heartbeat stores it so a node migrated from
 * heartbeat keeps it: {@code hb_generation} (16 bytes: the number right-aligned in 15 characters
 * and a newline; +1 on every start, fsync'd) and {@code hb_uuid} (16 raw bytes, made once).
 *
 * @param firstStart true when no generation file existed (heartbeat then starts from the time)
 */
public record Identity(long generation, byte[] uuid, boolean newUuid, boolean firstStart) {

    /** Reads, increments and durably writes the generation; creates the uuid on first start. */
    public static Identity advance(Path stateDir, long wallSeconds) throws IOException {
        PrivateDirectory.ensure(stateDir, "state directory");
        Path genFile = stateDir.resolve("hb_generation");
        Long previous = readGeneration(genFile);
        long generation = previous == null ? wallSeconds + 1 : previous + 1;
        writeSynced(genFile, generationLine(generation).getBytes(StandardCharsets.US_ASCII));

        Path uuidFile = stateDir.resolve("hb_uuid");
        byte[] uuid = Files.exists(uuidFile) ? Files.readAllBytes(uuidFile) : null;
        boolean made = false;
        if (uuid == null || uuid.length != 16) {
            uuid = Urandom.bytes(16);
            uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x40); // RFC 4122 version 4, as libuuid makes them
            uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
            writeSynced(uuidFile, uuid);
            made = true;
        }
        return new Identity(generation, uuid, made, previous == null);
    }

    /** The number right-aligned in 15 characters and a newline, as heartbeat writes it ({@code %15d\n}). */
    static String generationLine(long generation) {
        String digits = Long.toString(generation);
        return " ".repeat(Math.max(0, 15 - digits.length())) + digits + "\n";
    }

    static Long readGeneration(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            long g = Long.parseLong(text);
            return g > 0 ? g : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Temporary file, fsync, rename; never through a link ({@link PrivateDirectory#write}). */
    static void writeSynced(Path file, byte[] bytes) throws IOException {
        PrivateDirectory.write(file, bytes, true);
    }

    /** The uuid as text (8-4-4-4-12 hex), as heartbeat logs it. */
    public String uuidText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                b.append('-');
            }
            b.append(Character.forDigit((uuid[i] >> 4) & 0xf, 16)).append(Character.forDigit(uuid[i] & 0xf, 16));
        }
        return b.toString();
    }
}
