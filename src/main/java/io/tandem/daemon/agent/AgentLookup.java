package io.tandem.daemon.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Resolves a haresources resource word to an {@link AgentCall}, the way heartbeat's ResourceManager
 * does (docs/protocol.md §6.2):
 * <ol>
 * <li>a word spelled like an IPv4 address ({@code 10.0.0.5/24}) means {@code IPaddr::10.0.0.5/24};</li>
 * <li>{@code script::a::b} is the script {@code script} with the arguments {@code a b} (empty pieces
 * vanish, as in the shell's word splitting);</li>
 * <li>the script is {@code /etc/ha.d/resource.d/<script>}, else {@code /etc/init.d/<script>} (the
 * first regular executable file);</li>
 * <li>otherwise the error {@code Cannot locate resource script <script>}.</li>
 * </ol>
 * Two extensions apply only where heartbeat would have failed: {@code ocf:PROVIDER:TYPE::name=value::…}
 * runs {@code $OCF_ROOT/resource.d/PROVIDER/TYPE} with {@code OCF_RESKEY_name=value}; and
 * {@code IPaddr}/{@code IPaddr2} fall back to Tandem's built-in when no script of that name is
 * installed. Heartbeat's own OCF form, {@code OCF::TYPE::INSTANCE}, is its {@code resource.d/OCF}
 * wrapper script and is resolved like any other script.
 */
public final class AgentLookup {
    public static final String RESOURCE_DIR = "/etc/ha.d/resource.d";
    public static final String INIT_DIR = "/etc/init.d";
    public static final String OCF_ROOT = "/usr/lib/ocf";
    /** Default limit for one operation. Heartbeat has none; Tandem kills the script's process group after it. */
    public static final long DEFAULT_TIMEOUT_MS = 120_000;

    /** ResourceManager's {@code isip}: the glob {@code [0-9]*.[0-9]*.[0-9]*.[0-9]*}. */
    private static final Pattern IP_LIKE = Pattern.compile("[0-9].*\\.[0-9].*\\.[0-9].*\\.[0-9].*", Pattern.DOTALL);
    private static final Pattern OCF_NAME = Pattern.compile("ocf:([A-Za-z0-9_.+-]+):([A-Za-z0-9_.+-]+)");
    private static final Pattern RESKEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String resourceDir;
    private final String initDir;
    private final String ocfRoot;
    private final long timeoutMs;

    /** Lookup in other directories (tests, non-standard installs). */
    public AgentLookup(String resourceDir, String initDir, String ocfRoot, long timeoutMs) {
        this.resourceDir = stripSlash(Objects.requireNonNull(resourceDir, "resourceDir"));
        this.initDir = stripSlash(Objects.requireNonNull(initDir, "initDir"));
        this.ocfRoot = stripSlash(Objects.requireNonNull(ocfRoot, "ocfRoot"));
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
    }

    /** The standard directories and {@link #DEFAULT_TIMEOUT_MS}. */
    public static AgentLookup standard() {
        return new AgentLookup(RESOURCE_DIR, INIT_DIR, OCF_ROOT, DEFAULT_TIMEOUT_MS);
    }

    /** {@link #lookup} with the standard directories. */
    public static AgentCall resolve(String resourceText, AgentCatalog catalog) {
        return standard().lookup(resourceText, catalog);
    }

    /**
     * Resolves one resource word.
     *
     * @throws AgentLookupException {@code Cannot locate resource script <script>} when nothing is found,
     *                              or a message naming the resource when an {@code ocf:} word is malformed
     */
    public AgentCall lookup(String resourceText, AgentCatalog catalog) {
        Objects.requireNonNull(resourceText, "resourceText");
        Objects.requireNonNull(catalog, "catalog");
        String script = scriptName(resourceText);
        List<String> args = arguments(resourceText);
        if (!script.isEmpty() && !script.contains("/")) {
            String inResourceDir = resourceDir + "/" + script;
            if (catalog.executable(inResourceDir)) {
                return new AgentCall(AgentKind.HEARTBEAT_SCRIPT, resourceText, script, inResourceDir, args, Map.of(), timeoutMs);
            }
            String inInitDir = initDir + "/" + script;
            if (catalog.executable(inInitDir)) {
                return new AgentCall(AgentKind.LSB, resourceText, script, inInitDir, args, Map.of(), timeoutMs);
            }
        }
        var ocf = OCF_NAME.matcher(script);
        if (ocf.matches()) {
            List<String> params = splitPieces(resourceText.substring(Math.min(resourceText.length(), script.length() + 2)));
            return ocfCall(resourceText, script, ocf.group(1), ocf.group(2), params, catalog);
        }
        if (BuiltinNames.isBuiltin(script)) {
            return new AgentCall(AgentKind.BUILTIN, resourceText, script, "builtin:" + script, args, Map.of(), timeoutMs);
        }
        throw notFound(script);
    }

    private AgentCall ocfCall(String resourceText, String script, String provider, String type, List<String> args,
            AgentCatalog catalog) {
        String path = ocfRoot + "/resource.d/" + provider + "/" + type;
        if (!catalog.executable(path)) {
            throw notFound(script);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OCF_ROOT", ocfRoot);
        env.put("OCF_RA_VERSION_MAJOR", "1");
        env.put("OCF_RA_VERSION_MINOR", "0");
        env.put("OCF_RESOURCE_PROVIDER", provider);
        env.put("OCF_RESOURCE_TYPE", type);
        env.put("OCF_RESOURCE_INSTANCE", instanceName(type, args));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? "" : arg.substring(0, eq);
            if (!RESKEY.matcher(key).matches()) {
                throw new AgentLookupException(script, "Bad OCF parameter [" + arg + "] in resource " + resourceText
                        + ": expected name=value");
            }
            env.put("OCF_RESKEY_" + key, arg.substring(eq + 1));
        }
        return new AgentCall(AgentKind.OCF, resourceText, script, path, List.of(), env, timeoutMs);
    }

    /** A file-name-safe instance name, like heartbeat's wrappers' {@code IPaddr_192.0.2.1}. */
    private static String instanceName(String type, List<String> args) {
        StringBuilder b = new StringBuilder(type);
        for (String arg : args) {
            b.append('_').append(arg.substring(arg.indexOf('=') + 1));
        }
        return b.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static AgentLookupException notFound(String script) {
        return new AgentLookupException(script, "Cannot locate resource script " + script);
    }

    /** ResourceManager's {@code canonname}: an IP-like word becomes {@code IPaddr::word}. */
    public static String canonical(String resourceText) {
        return IP_LIKE.matcher(resourceText).matches() ? "IPaddr::" + resourceText : resourceText;
    }

    /**
     * ResourceManager's {@code resource2script} followed by {@code scriptpath}'s {@code canonname}: the
     * part before the first {@code ::}, or {@code IPaddr} when that part is spelled like an address.
     */
    public static String scriptName(String resourceText) {
        int sep = resourceText.indexOf("::");
        String first = sep < 0 ? resourceText : resourceText.substring(0, sep);
        return IP_LIKE.matcher(first).matches() ? "IPaddr" : first;
    }

    /**
     * ResourceManager's {@code resource2arg}: when the canonical word has arguments, the word without its
     * first {@code name::} ({@code sed 's%[^:]*::%%'}), split at {@code ::}; empty pieces vanish as in
     * the shell's word splitting. A bare address is its own single argument.
     */
    public static List<String> arguments(String resourceText) {
        if (!canonical(resourceText).contains("::")) {
            return List.of();
        }
        return splitPieces(resourceText.replaceFirst("[^:]*::", ""));
    }

    private static List<String> splitPieces(String rest) {
        List<String> out = new ArrayList<>();
        for (String piece : rest.split("::", -1)) {
            for (String word : piece.split("[ \t\n]+")) {
                if (!word.isEmpty()) {
                    out.add(word);
                }
            }
        }
        return List.copyOf(out);
    }

    private static String stripSlash(String dir) {
        String d = dir;
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }
}
