package io.tandem.daemon.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control clients' one definition, {@code libexec/tandem-control.def} (the build puts a copy next
 * to this class): the run-time directory and its file names, and what a command answers when no
 * daemon can be asked. The perl client and bin/tandem read the same file, so every client derives the
 * same names and prints the same "not running" and "permission denied" answers.
 */
public final class ClientDefinitions {
    private static final Map<String, String> DEFINITIONS = load();
    private static final Pattern ANSWER = Pattern.compile("(-?\\d+) (out|err) (.*)", Pattern.DOTALL);

    private ClientDefinitions() {
    }

    /** A name's value, e.g. {@code run_dir}, {@code control_socket}. */
    public static String get(String name) {
        String value = DEFINITIONS.get(name);
        if (value == null) {
            throw new IllegalStateException("tandem-control.def defines no " + name);
        }
        return value;
    }

    /**
     * What a command answers when nothing answers on {@code socket} (the liveness rule: no daemon
     * runs): {@code offline.VERB.WORD} for the first argument that has one, else {@code offline.VERB},
     * else {@code offline}.
     */
    public static ControlReply offline(List<String> words, Path socket) {
        String verb = words.isEmpty() ? "" : words.get(0);
        String answer = null;
        for (String word : words.subList(Math.min(1, words.size()), words.size())) {
            answer = DEFINITIONS.get("offline." + verb + "." + word);
            if (answer != null) {
                break;
            }
        }
        if (answer == null) {
            answer = DEFINITIONS.getOrDefault("offline." + verb, get("offline"));
        }
        return answer(answer, socket, System.getProperty("user.name"));
    }

    /**
     * What heartbeat's {@code cl_status} answers itself, before it asks the cluster manager (so with or
     * without a daemon): its usage for no arguments or a lone {@code -h}, "invalid sub-command" (exit 11)
     * for a first word that is none of its sub-commands; empty for every other command line.
     */
    public static java.util.Optional<ControlReply> answeredByClient(List<String> words) {
        if (words.isEmpty() || !words.get(0).equals("cl_status")) {
            return java.util.Optional.empty();
        }
        List<String> rest = words.subList(1, words.size());
        if (rest.isEmpty() || rest.equals(List.of("-h"))) {
            return java.util.Optional.of(clStatusUsage());
        }
        if (!List.of(get("cl_status.subcommands").split(" ")).contains(rest.get(0))) {
            return java.util.Optional.of(clStatusInvalid(rest.get(0)));
        }
        return java.util.Optional.empty();
    }

    /** heartbeat's {@code cl_status} usage, exit 0. */
    public static ControlReply clStatusUsage() {
        return answer(get("cl_status.usage"), Path.of(""), "");
    }

    /** heartbeat's answer to a word that is not a {@code cl_status} sub-command, exit 11. */
    public static ControlReply clStatusInvalid(String word) {
        return answer(get("cl_status.invalid").replace("{word}", word), Path.of(""), "");
    }

    /** The answer when {@code user} may not ask the daemon at {@code socket} (the socket is closed to it, or the daemon refused it). */
    public static ControlReply permissionDenied(Path socket, String user) {
        return answer(get("permission_denied"), socket, user);
    }

    private static ControlReply answer(String definition, Path socket, String user) {
        Matcher m = ANSWER.matcher(definition);
        if (!m.matches()) {
            throw new IllegalStateException("tandem-control.def: not an answer (EXIT out|err TEXT): " + definition);
        }
        String text = m.group(3).replace("\\n", "\n").replace("{socket}", socket.toString()).replace("{user}", user);
        int code = Integer.parseInt(m.group(1));
        return m.group(2).equals("out") ? new ControlReply(code, text, "") : new ControlReply(code, "", text);
    }

    private static Map<String, String> load() {
        try (InputStream in = ClientDefinitions.class.getResourceAsStream("tandem-control.def")) {
            if (in == null) {
                throw new IllegalStateException("tandem-control.def is missing from the class path (built from libexec/)");
            }
            Map<String, String> d = new HashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.stripLeading().startsWith("#") && eq > 0) {
                    d.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return Map.copyOf(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
