package io.tandem.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.membership.PeerLife;
import io.tandem.resources.ResourceOp;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records whose equals and hashCode are written out (to keep java.lang.runtime.ObjectMethods out of the
 * daemon, docs/benchmarks.md) must mean what the generated ones mean: every component counts. A component
 * added later and forgotten in equals fails here.
 */
class WrittenOutEqualsTest {
    @Test
    void every_component_of_the_written_out_records_counts_in_equals_and_hash_code() throws Exception {
        check(ResourceOp.class, new Object[] {"g", "IPaddr::192.0.2.1", ResourceOp.Action.START, 0L, false, false});
        check(PeerLife.class, new Object[] {"node1", 7L, 3L, false});
    }

    private static void check(Class<?> type, Object[] base) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        assertThat(components).as(type.getSimpleName() + "'s components (update this test's values)").hasSize(base.length);
        Constructor<?> canonical = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        Object a = canonical.newInstance(base);
        Object same = canonical.newInstance(base.clone());
        assertThat(a).isEqualTo(same);
        assertThat(a.hashCode()).isEqualTo(same.hashCode());
        for (int i = 0; i < base.length; i++) {
            Object[] other = base.clone();
            other[i] = different(base[i]);
            Object b = canonical.newInstance(other);
            assertThat(a).as(type.getSimpleName() + "." + components[i].getName() + " in equals").isNotEqualTo(b);
            assertThat(List.of(a.hashCode())).as(type.getSimpleName() + "." + components[i].getName() + " in hashCode")
                    .doesNotContain(b.hashCode());
        }
    }

    private static Object different(Object v) {
        if (v instanceof String s) {
            return s + "x";
        } else if (v instanceof Long l) {
            return l + 1;
        } else if (v instanceof Boolean b) {
            return !b;
        } else if (v instanceof Enum<?> e) {
            Object[] all = e.getDeclaringClass().getEnumConstants();
            return all[(e.ordinal() + 1) % all.length];
        }
        throw new IllegalArgumentException("no different value for " + v);
    }
}
