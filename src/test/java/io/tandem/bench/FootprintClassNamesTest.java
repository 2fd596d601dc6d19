package io.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** bench/footprint --lab's class list: the names out of {@code jcmd PID VM.class_hierarchy}, hidden classes included. */
class FootprintClassNamesTest {
    @Test
    void namesComeFromEveryLevelOfTheTreeWithoutTheLoaderAddresses() {
        String out = """
                4242:
                java.lang.Object/null
                |--jdk.internal.misc.Signal$Handler/null (intf)
                |  |--java.lang.invoke.MethodHandleImpl$IntrinsicMethodHandle/null
                |--io.tandem.node.NodeCore$$Lambda$145/0x00000008010d6130/0x00007f8fa007e810
                |--java.lang.invoke.LambdaForm$MH/0x00007f8f48000400/null
                """;
        assertThat(FootprintBench.classNames(out)).containsExactly("io.tandem.node.NodeCore$$Lambda$145", "java.lang.Object",
                "java.lang.invoke.LambdaForm$MH", "java.lang.invoke.MethodHandleImpl$IntrinsicMethodHandle",
                "jdk.internal.misc.Signal$Handler");
    }
}
