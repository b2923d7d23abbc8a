package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command's peak heap, read from its GC log (lines as JDK 17 writes them). */
class ProductProcessTest {

    @Test
    void g1TheMostHeldBeforeACollection() {
        ProductProcess.Heap heap = ProductProcess.heap(List.of(
                "[0.009s][info][gc] Using G1",
                "[1.126s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 12M->4M(256M) 12.323ms",
                "[1.287s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 140M->8M(256M) 8.677ms",
                "[1.300s][info][gc] GC(2) Pause Remark 30M->30M(256M) 1.000ms",
                "[1.554s][info][gc,heap,exit] Heap",
                "[1.554s][info][gc,heap,exit]  garbage-first heap   total 262144K, used 40960K [0x00000000f0000000, 0x0000000100000000)",
                "[1.554s][info][gc,heap,exit]   region size 1024K, 120 young (122880K), 12 survivors (12288K)",
                "[1.554s][info][gc,heap,exit]  Metaspace       used 409600K, committed 9536K, reserved 1114112K",
                "[1.554s][info][gc,heap,exit]   class space    used 1130K, committed 1216K, reserved 1048576K"));
        assertThat(heap.peakBytes()).isEqualTo(140L << 20);
        assertThat(heap.mostAfterCollection()).isEqualTo(30L << 20);
        assertThat(heap.pauses()).isEqualTo(3);
        assertThat(heap.pauseSeconds()).isCloseTo(0.022, within(1e-9));
    }

    @Test
    void theHeapAtExitWhenItHeldMoreThanBeforeAnyCollectionAndNotItsMetaspace() {
        ProductProcess.Heap heap = ProductProcess.heap(List.of(
                "[1.228s][info][gc] GC(0) Pause Young (Allocation Failure) 63M->8M(245M) 23.377ms",
                "[1.308s][info][gc,heap,exit] Heap",
                "[1.308s][info][gc,heap,exit]  PSYoungGen      total 76288K, used 61590K [0x00000000fab00000, 0x0000000100000000)",
                "[1.308s][info][gc,heap,exit]   eden space 65536K, 81% used [0x00000000fab00000,0x00000000fdf4aef0)",
                "[1.308s][info][gc,heap,exit]  ParOldGen       total 175104K, used 14862K [0x00000000f0000000, 0x00000000fab00000)",
                "[1.308s][info][gc,heap,exit]  Metaspace       used 9296K, committed 9536K, reserved 1114112K",
                "[1.308s][info][gc,heap,exit]   class space    used 1132K, committed 1216K, reserved 1048576K"));
        assertThat(heap.peakBytes()).isEqualTo((61590L + 14862L) << 10);
        assertThat(heap.pauses()).isEqualTo(1);
    }

    @Test
    void theLargerPeakOfTwoCommandsAndTheirPausesTogether() {
        ProductProcess.Heap both =
                new ProductProcess.Heap(300, 40, 2, 0.5).max(new ProductProcess.Heap(200, 50, 3, 0.25));
        assertThat(both).isEqualTo(new ProductProcess.Heap(300, 50, 5, 0.75));
    }
}
