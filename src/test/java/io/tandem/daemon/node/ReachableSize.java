package io.tandem.daemon.node;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How much a node holds: the objects reachable from a root through Tandem's own classes and the JDK's
 * collections, counted as objects plus one per 8 array elements or string characters (a retained-size
 * estimate in units of about 8 bytes). A table that grows with what the network sends shows here as
 * a size that grows with the number of packets. Static fields and JDK internals (digests, class
 * objects) are not followed.
 */
final class ReachableSize {
    private ReachableSize() {
    }

    static long of(Object... roots) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> todo = new ArrayDeque<>();
        for (Object r : roots) {
            push(r, seen, todo);
        }
        long units = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            units++;
            if (o instanceof String s) {
                units += s.length() / 8;
            } else if (o.getClass().isArray()) {
                int n = Array.getLength(o);
                if (o.getClass().getComponentType().isPrimitive()) {
                    units += n / 8;
                } else {
                    for (int i = 0; i < n; i++) {
                        push(Array.get(o, i), seen, todo);
                    }
                }
            } else if (o instanceof Map<?, ?> m) {
                units += m.size();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    push(e.getKey(), seen, todo);
                    push(e.getValue(), seen, todo);
                }
            } else if (o instanceof Collection<?> c) {
                units += c.size();
                for (Object e : c) {
                    push(e, seen, todo);
                }
            } else if (o instanceof Optional<?> opt) {
                opt.ifPresent(v -> push(v, seen, todo));
            } else if (o.getClass().getName().startsWith("io.tandem.")) {
                for (Class<?> k = o.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) {
                            continue;
                        }
                        try {
                            push(f.get(o), seen, todo);
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        }
        return units;
    }

    private static void push(Object o, IdentityHashMap<Object, Boolean> seen, ArrayDeque<Object> todo) {
        if (o == null || o instanceof Class || o instanceof Enum || o instanceof Number || o instanceof Boolean || o instanceof Character) {
            return;
        }
        if (seen.put(o, Boolean.TRUE) == null) {
            todo.push(o);
        }
    }
}
