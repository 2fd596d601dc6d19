package io.tandem.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * tandem.cf's {@code resource NAME warm} and {@code resource NAME may-run-twice} lines against haresources:
 * every name must match a resource there (as written, or its script name), and none may be one that must
 * never run on two nodes at once:
 * an address ({@code IPaddr}, {@code IPaddr2}, {@code IPsrcaddr}, a bare address), a shared disk
 * ({@code Filesystem}, {@code drbddisk}, {@code LVM}, {@code Raid1}). A group may not be warm or may-run-twice
 * as a whole: then nothing would move. Errors name tandem.cf and the line.
 */
public final class ResourceModes {
    /** Scripts that can never run on both nodes: the address would answer from two machines, a disk be written by two. */
    static final Set<String> EXCLUSIVE = Set.of("IPaddr", "IPaddr2", "IPsrcaddr", "Filesystem", "drbddisk", "LVM", "Raid1");

    private ResourceModes() {
    }

    /** Checks the warm and may-run-twice resources of {@code tandem} against {@code res}; throws {@link ConfigException} on the first problem. */
    public static void check(TandemCf tandem, HaResources res) {
        String file = tandem.fileOr(TandemCf.FILE);
        List<String> named = new java.util.ArrayList<>(tandem.warm());
        named.addAll(tandem.mayRunTwice());
        named.sort(java.util.Comparator.comparingInt(tandem::lineOfResource));
        for (String name : named) {
            int line = tandem.lineOfResource(name);
            String mode = tandem.warm().contains(name) ? "warm" : "may-run-twice";
            boolean found = false;
            for (GroupConfig g : res.groups()) {
                for (ResourceRef r : g.resources()) {
                    if (matches(r, name)) {
                        found = true;
                        if (EXCLUSIVE.contains(r.name())) {
                            throw new ConfigException(file, line, "resource " + name + " cannot be " + mode + ": " + r.name()
                                    + (r.name().startsWith("IP") ? " is an address, which must never be on two nodes at once"
                                    : " is a disk, which must never be used by two nodes at once")
                                    + " (" + mode + " is for a service such as apache2 that serves local files)");
                        }
                    }
                }
            }
            if (!found) {
                throw new ConfigException(file, line, "resource " + name + " matches no resource in " + res.file()
                        + " (give a resource as written there, or its script name)");
            }
        }
        for (GroupConfig g : res.groups()) {
            if (!g.resources().isEmpty() && g.resources().stream().allMatch(r -> warm(tandem, r) || mayRunTwice(tandem, r))) {
                int line = named.stream().filter(n -> g.resources().stream().anyMatch(r -> matches(r, n)))
                        .mapToInt(tandem::lineOfResource).max().orElseThrow();
                boolean allWarm = g.resources().stream().allMatch(r -> warm(tandem, r));
                throw new ConfigException(file, line, "every resource of the group on " + res.file() + " line " + g.line()
                        + (allWarm ? " is warm" : " is warm or may-run-twice")
                        + ": nothing would move between the nodes (a group needs its address or another exclusive resource)");
            }
        }
    }

    /** The resources of haresources (as written there) that tandem.cf makes warm. */
    public static Set<String> warmResources(TandemCf tandem, HaResources res) {
        Set<String> out = new LinkedHashSet<>();
        for (GroupConfig g : res.groups()) {
            for (ResourceRef r : g.resources()) {
                if (warm(tandem, r)) {
                    out.add(r.text());
                }
            }
        }
        return out;
    }

    /**
     * The resources of haresources (as written there) that tandem.cf makes may-run-twice: started on the
     * taker before a planned move's address step, stopped on the giver after it (a warm one is not among them).
     */
    public static Set<String> mayRunTwiceResources(TandemCf tandem, HaResources res) {
        Set<String> out = new LinkedHashSet<>();
        for (GroupConfig g : res.groups()) {
            for (ResourceRef r : g.resources()) {
                if (mayRunTwice(tandem, r) && !warm(tandem, r)) {
                    out.add(r.text());
                }
            }
        }
        return out;
    }

    private static boolean mayRunTwice(TandemCf tandem, ResourceRef r) {
        return tandem.mayRunTwice().stream().anyMatch(n -> matches(r, n));
    }

    private static boolean warm(TandemCf tandem, ResourceRef r) {
        List<String> names = tandem.warm();
        return names.stream().anyMatch(n -> matches(r, n));
    }

    private static boolean matches(ResourceRef r, String name) {
        return r.text().equals(name) || r.name().equals(name);
    }
}
