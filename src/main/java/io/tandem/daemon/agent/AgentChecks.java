package io.tandem.daemon.agent;

import io.tandem.config.Finding;
import io.tandem.config.GroupConfig;
import io.tandem.config.HaResources;
import io.tandem.config.HostFacts;
import io.tandem.config.ResourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources of haresources as this node would run them: each word must resolve to an agent (the
 * daemon's own {@link AgentLookup}: resource.d, then /etc/init.d, then OCF, then the built-ins), and an
 * {@code IPaddr}/{@code IPaddr2} argument must be one that can work here: an address, a netmask, an
 * interface this host has. Heartbeat finds these only at takeover time; Tandem refuses them at start,
 * and {@code tandem check} reports them, from this one class.
 */
public final class AgentChecks {
    private AgentChecks() {
    }

    public static List<Finding> check(HaResources resources, HostFacts host, AgentLookup lookup, AgentCatalog catalog) {
        List<Finding> out = new ArrayList<>();
        for (GroupConfig g : resources.groups()) {
            for (ResourceRef r : g.resources()) {
                Problem problem = problem(r.text(), host, lookup, catalog);
                if (problem != null) {
                    out.add(new Finding(Finding.Level.ERROR, resources.file(), g.line(), problem.text(), problem.ofThisHost()));
                }
            }
        }
        return out;
    }

    /** What is wrong with a resource word, and whether it is about this host (an agent, an interface it lacks). */
    record Problem(String text, boolean ofThisHost) {
    }

    /** What is wrong with one resource word on this host, or null. */
    static Problem problem(String word, HostFacts host, AgentLookup lookup, AgentCatalog catalog) {
        AgentCall call;
        try {
            call = lookup.lookup(word, catalog);
        } catch (AgentLookupException e) {
            return new Problem(e.getMessage() + " (resource " + word + "; looked in " + AgentLookup.RESOURCE_DIR + ", "
                    + AgentLookup.INIT_DIR + ", and OCF agents as ocf:PROVIDER:TYPE)", true);
        }
        if (!BuiltinNames.isIpAddr(call.name()) || call.kind() == AgentKind.OCF) {
            return null;
        }
        if (call.args().isEmpty()) {
            return new Problem("resource " + word + ": " + call.name() + " needs an address (" + call.name()
                    + "::ADDRESS[/BITS[/INTERFACE]])", false);
        }
        IpAddrSpec spec;
        try {
            spec = IpAddrSpec.parse(call.args().get(0));
        } catch (IllegalArgumentException e) {
            return new Problem("resource " + word + ": " + e.getMessage(), false);
        }
        if (!spec.iface().isEmpty() && !host.interfaceExists(spec.iface())) {
            return new Problem("resource " + word + ": interface [" + spec.iface() + "] does not exist on this host", true);
        }
        return null;
    }
}
