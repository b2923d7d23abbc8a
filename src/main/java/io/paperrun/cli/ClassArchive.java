package io.paperrun.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.ObjectName;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The classes a command has loaded in its run, recorded when it closes its session for the commands after it:
 * a class-data sharing archive (JDK CDS), which a JVM maps at start instead of loading, verifying and linking
 * those classes one by one. {@code scripts/paperrun} asks for it when its unpacked jar has none
 * ({@code -XX:+RecordDynamicDumpInfo -Dpaperrun.class-archive=FILE}) and starts every later command with it
 * ({@code -XX:SharedArchiveFile}): on the 2-core development machine a one-order import took 2.6-2.8 s with an
 * archive an import recorded, 3.0-3.4 s with one recorded as {@code executions} started, 3.3-3.5 s without one.
 * The recording is written beside the file and moved into place, so a command starting meanwhile finds either
 * no archive or a whole one; a recording that fails costs only that speed, never the command.
 */
final class ClassArchive {

    static final String PROPERTY = "paperrun.class-archive";
    private static final Logger log = LoggerFactory.getLogger(ClassArchive.class);

    /** Writes a dynamic archive of the classes loaded so far to a file. */
    interface Dump {
        void to(Path file) throws Exception;

        /** The JVM's own, through its diagnostic command {@code VM.cds dynamic_dump}. */
        Dump JVM = file -> ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                new Object[] {new String[] {"dynamic_dump", file.toString()}},
                new String[] {String[].class.getName()});
    }

    private ClassArchive() {
    }

    /** Records the archive if the launcher asked for one ({@value #PROPERTY}). */
    static void recordIfAsked() {
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            record(Path.of(file), Dump.JVM);
        }
    }

    /**
     * Records the archive to {@code target}. The JDK announces a dump on {@code System.out}, which carries the
     * command's output (an export to {@code -}): it goes nowhere meanwhile.
     */
    static void record(Path target, Dump dump) {
        Path recording = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid());
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            dump.to(recording);
            Files.move(recording, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            log.debug("no class archive recorded at {}; commands start without it", target, e);
        } finally {
            System.setOut(stdout);
            try {
                Files.deleteIfExists(recording);
            } catch (Exception e) {
                log.debug("could not remove {}", recording, e);
            }
        }
    }
}
