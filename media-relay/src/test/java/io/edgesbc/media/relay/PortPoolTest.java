package io.edgesbc.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class PortPoolTest {

    private static PortPool pool(int min, int max) {
        return new PortPool(RealmConfig.of("r", InetAddress.getLoopbackAddress(), min, max));
    }

    @Test
    void handsOutEvenRtpPortsWhoseRtcpPortIsInTheRange() {
        PortPool p = pool(30001, 30008); // pairs 30002/3, 30004/5, 30006/7; 30008 has no 30009
        assertThat(p.pairs()).isEqualTo(3);
        assertThat(List.of(p.acquire(), p.acquire(), p.acquire())).containsExactly(30002, 30004, 30006);
        assertThat(p.acquire()).isEqualTo(-1);
        assertThat(p.exhaustions()).isEqualTo(1);
    }

    @Test
    void releasedPortsGoToTheBack() {
        PortPool p = pool(30000, 30005);
        int first = p.acquire();
        p.release(first);
        assertThat(p.acquire()).isEqualTo(30002);
        assertThat(p.acquire()).isEqualTo(30004);
        assertThat(p.acquire()).isEqualTo(first);
        assertThat(p.free()).isZero();
    }

    @Test
    void refusesToTakeBackAPortNotHandedOut() {
        PortPool p = pool(30000, 30005);
        assertThatThrownBy(() -> p.release(30000)).isInstanceOf(IllegalStateException.class);
        int port = p.acquire();
        p.release(port);
        assertThatThrownBy(() -> p.release(port)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.release(30001)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentUseNeverHandsOutAPortTwice() throws Exception {
        PortPool p = pool(20000, 20999);
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                Set<Integer> mine = new HashSet<>();
                for (int i = 0; i < 20_000; i++) {
                    int port = p.acquire();
                    if (port >= 0) {
                        if (!held.add(port)) {
                            synchronized (errors) {
                                errors.add(new AssertionError("twice: " + port));
                            }
                        }
                        mine.add(port);
                    }
                    if (mine.size() > 50 || port < 0) {
                        for (int m : mine) {
                            held.remove(m);
                            p.release(m);
                        }
                        mine.clear();
                    }
                }
                for (int m : mine) {
                    held.remove(m);
                    p.release(m);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(p.free()).isEqualTo(500);
    }
}
