package io.tandem.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One resource of a haresources line: a script name and its {@code ::}-separated arguments
 * ({@code IPaddr::192.168.21.1/24/eth0}, {@code Filesystem::/dev/sda1::/data1::ext2}, {@code httpd}).
 * A bare address spec ({@code 192.168.21.1/24}) means {@code IPaddr::} that spec ({@code bare} is then
 * true and {@link #text()} gives it back as written, as heartbeat uses it as written in messages).
 */
public record ResourceRef(String name, List<String> args, boolean bare) {
    /** ResourceManager's {@code isip}: {@code [0-9]*.[0-9]*.[0-9]*.[0-9]*} as a shell pattern. */
    private static final Pattern IS_IP = Pattern.compile("[0-9].*\\.[0-9].*\\.[0-9].*\\.[0-9].*", Pattern.DOTALL);

    public ResourceRef {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        if (bare && (!name.equals("IPaddr") || args.size() != 1)) {
            throw new IllegalArgumentException("a bare address is IPaddr with one argument");
        }
    }

    public ResourceRef(String name, List<String> args) {
        this(name, args, false);
    }

    /** Reads one resource word; throws IllegalArgumentException with a reason if it is not one. */
    public static ResourceRef parse(String word) {
        if (!word.contains("::") && IS_IP.matcher(word).matches()) {
            return new ResourceRef("IPaddr", List.of(word), true);
        }
        String[] parts = word.split("::", -1);
        String name = parts[0];
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no script name before '::'");
        }
        if (name.contains("/")) {
            throw new IllegalArgumentException("a script name may not contain '/' (scripts are looked up in"
                    + " /etc/ha.d/resource.d and /etc/init.d)");
        }
        return new ResourceRef(name, List.of(parts).subList(1, parts.length), false);
    }

    /** The resource as written in haresources. */
    public String text() {
        if (bare) {
            return args.get(0);
        }
        StringBuilder b = new StringBuilder(name);
        for (String a : args) {
            b.append("::").append(a);
        }
        return b.toString();
    }

    /** The resource with a bare address spelled out as {@code IPaddr::spec}, as ResourceManager runs it. */
    public String canonical() {
        return bare ? "IPaddr::" + args.get(0) : text();
    }

    @Override
    public String toString() {
        return text();
    }
}
