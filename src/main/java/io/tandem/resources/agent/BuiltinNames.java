package io.tandem.resources.agent;

/** The scripts Tandem has a built-in replacement for. */
public final class BuiltinNames {
    public static final String IPADDR = "IPaddr";
    public static final String IPADDR2 = "IPaddr2";

    private BuiltinNames() {
    }

    public static boolean isIpAddr(String script) {
        return IPADDR.equals(script) || IPADDR2.equals(script);
    }
}
