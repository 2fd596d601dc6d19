package io.tandem.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, enforced: {@code cli → daemon → node → {resources,
 * membership} → wire → config}, resources and membership siblings that do not know each other. The
 * core (config, wire, membership, resources, node) is sans-I/O: no sockets, threads, processes, files or wall clock. Only {@code config.ConfigDirectory}
 * reads files, and only the three configuration files.
 */
class ArchitectureTest {
    private static final String[] CORE = {"io.tandem.config..", "io.tandem.wire..", "io.tandem.membership..", "io.tandem.resources..",
            "io.tandem.node.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tandem");
    }

    @Test
    void layers_depend_only_downwards() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("config").definedBy("io.tandem.config..")
                .layer("wire").definedBy("io.tandem.wire..")
                .layer("membership").definedBy("io.tandem.membership..")
                .layer("resources").definedBy("io.tandem.resources..")
                .layer("node").definedBy("io.tandem.node..")
                .layer("daemon").definedBy("io.tandem.daemon..")
                .layer("cli").definedBy("io.tandem.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("daemon").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("node").mayOnlyBeAccessedByLayers("daemon", "cli")
                .whereLayer("resources").mayOnlyBeAccessedByLayers("node", "daemon", "cli")
                .whereLayer("membership").mayOnlyBeAccessedByLayers("node", "daemon", "cli")
                .whereLayer("wire").mayOnlyBeAccessedByLayers("membership", "resources", "node", "daemon", "cli")
                .whereLayer("config").mayOnlyBeAccessedByLayers("wire", "membership", "resources", "node", "daemon", "cli");
        rule.check(classes);
    }

    @Test
    void core_does_no_network_thread_or_process_io() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..", "java.util.concurrent..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Process.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ProcessHandle.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.Random.class.getName())
                .because("the core is a deterministic state machine; the daemon shell owns sockets, threads, processes and randomness")
                .check(classes);
    }

    @Test
    void core_never_reads_the_clock() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.time.Clock.class.getName())
                .because("time reaches the core only as a value passed with each event")
                .check(classes);
    }

    @Test
    void only_the_config_directory_adapter_touches_files() {
        noClasses().that().resideInAnyPackage(CORE)
                .and().doNotHaveFullyQualifiedName("io.tandem.config.ConfigDirectory")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.File.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.FileInputStream.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.FileOutputStream.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.FileReader.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.RandomAccessFile.class.getName())
                .check(classes);
    }

    @Test
    void native_code_and_jdk_internals_stay_in_their_one_adapter_each() {
        noClasses().that().resideOutsideOfPackage("io.tandem.daemon.os..")
                .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..")
                .because("raw sockets through JNA are confined to daemon.os")
                .check(classes);
        noClasses().that().doNotHaveFullyQualifiedName("io.tandem.daemon.node.Signals")
                .should().dependOnClassesThat().resideInAnyPackage("sun.misc..")
                .because("signal handling is the one use of sun.misc")
                .check(classes);
    }
}
