package io.tandem.config;

import java.util.List;
import java.util.regex.Pattern;

/** Reads the {@code stonith} and {@code stonith_host} lines of ha.cf (see {@link StonithDevice}). */
final class StonithLines {
    /** A device type as cluster-glue names them: {@code null}, {@code external/ssh}; no path outside the plugin tree. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}(/[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63})?");
    /** heartbeat's HOSTLENG. */
    private static final int HOST_MAX = 200;

    private StonithLines() {
    }

    /** {@code stonith <type> <configfile>}: the file is the rest of the line. */
    static StonithDevice stonith(String file, int line, String rest) {
        List<String> words = HaCfParser.values(rest, HaCfDirectives.WHITESPACE);
        if (words.isEmpty()) {
            throw new ConfigException(file, line, "No Stonith type given (stonith TYPE CONFIGFILE)");
        }
        String type = type(file, line, words.get(0));
        String configFile = rest.strip().substring(words.get(0).length()).strip();
        if (configFile.isEmpty()) {
            throw new ConfigException(file, line, "Invalid Stonith config file [] for type [" + type + "]"
                    + " (stonith TYPE CONFIGFILE; or stonith_host NODE|* TYPE PARAMS...)");
        }
        return new StonithDevice(StonithDevice.ANY_HOST, type, configFile, "", line);
    }

    /** {@code stonith_host <node|*> <type> <params...>}: the parameters are the rest of the line. */
    static StonithDevice stonithHost(String file, int line, String rest) {
        List<String> words = HaCfParser.values(rest, HaCfDirectives.WHITESPACE);
        if (words.isEmpty()) {
            throw new ConfigException(file, line, "No Stonith hostname argument given (stonith_host NODE|* TYPE PARAMS...)");
        }
        String host = words.get(0);
        if (host.length() >= HOST_MAX) {
            throw new ConfigException(file, line, "Stonith hostname too long");
        }
        if (words.size() < 2) {
            throw new ConfigException(file, line, "No Stonith type given (stonith_host " + host + " TYPE PARAMS...)");
        }
        String type = type(file, line, words.get(1));
        String afterHost = HaCfParser.skip(rest.strip().substring(host.length()), HaCfDirectives.WHITESPACE);
        String params = afterHost.substring(words.get(1).length()).strip();
        return new StonithDevice(host, type, "", params, line);
    }

    private static String type(String file, int line, String type) {
        if (!TYPE.matcher(type).matches() || type.contains("..")) {
            throw new ConfigException(file, line, "Invalid Stonith type [" + type + "] (a type that `stonith -L` lists,"
                    + " e.g. external/ipmi or apcmastersnmp)");
        }
        return type;
    }
}
