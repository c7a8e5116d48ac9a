package org.camelinterimap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The connection pool of the passes: background opens, the max-connections limit, failures, closing. */
class PairPoolTest {
    /** Counts the pairs opened and closed; each open first runs {@code beforeOpen}. */
    private static final class CountingFactory implements ServerPair.Factory {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        volatile Opening beforeOpen = n -> { };

        interface Opening {
            void run(int n) throws Exception;
        }

        @Override
        public ServerPair open() throws SyncException {
            int n = opened.incrementAndGet();
            try {
                beforeOpen.run(n);
            } catch (SyncException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new ServerPair(null, null, closed::incrementAndGet);
        }
    }

    @Test
    void pairsOpenedInTheBackgroundServeTheWorkersWithoutOpeningMore() throws Exception {
        CountingFactory factory = new CountingFactory();
        PairPool pool = new PairPool(factory, 4);
        ServerPair planning = pool.borrow();
        pool.openInBackground(4);
        Set<ServerPair> workers = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            workers.add(pool.borrow());
        }
        assertEquals(3, workers.size());
        assertEquals(4, factory.opened.get(), "one for the planning, three in the background");
        pool.openInBackground(4);
        assertEquals(4, factory.opened.get(), "nothing more to open: four are open");
        workers.forEach(p -> pool.release(p, true));
        pool.release(planning, true);
        pool.close();
        assertEquals(4, factory.closed.get());
    }

    @Test
    void aBorrowerBeyondTheLimitWaitsForARelease() throws Exception {
        CountingFactory factory = new CountingFactory();
        PairPool pool = new PairPool(factory, 2);
        ServerPair first = pool.borrow();
        ServerPair second = pool.borrow();
        CompletableFuture<ServerPair> third = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.borrow();
            } catch (SyncException e) {
                throw new IllegalStateException(e);
            }
        });
        pool.release(second, true);
        assertSame(second, third.get(), "the released pair, not a third connection");
        assertEquals(2, factory.opened.get());
        pool.release(first, true);
        pool.release(third.get(), true);
        pool.close();
    }

    @Test
    void aConnectionRefusedWhileOthersAreOpenLowersTheLimitAndTheWorkerWaitsForOne() throws Exception {
        CountingFactory factory = new CountingFactory();
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        PairPool pool = new PairPool(factory, 2, PairPool.STALE_MILLIS, warnings::add);
        ServerPair planning = pool.borrow();
        factory.beforeOpen = n -> {
            throw new SyncException("remote: connection lost during LOGIN: Maximum number of connections from user+IP exceeded",
                    true, null);
        };
        pool.openInBackground(2);
        CompletableFuture<ServerPair> worker = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.borrow();
            } catch (SyncException e) {
                throw new IllegalStateException(e);
            }
        });
        // the worker cannot have a pair before the planning one comes back
        Thread.sleep(200);
        assertFalse(worker.isDone());
        pool.release(planning, true);
        assertSame(planning, worker.get(30, TimeUnit.SECONDS));
        assertEquals(2, factory.opened.get(), "planning, refused background");
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("going on with 1 connection pair(s)"), warnings::toString);
        pool.release(planning, true);
        pool.close();
        assertEquals(1, factory.closed.get());
    }

    @Test
    void aFailedOpenWithNoOtherPairIsReportedByTheBorrower() throws Exception {
        CountingFactory factory = new CountingFactory();
        PairPool pool = new PairPool(factory, 2);
        factory.beforeOpen = n -> {
            throw new SyncException("remote: cannot connect to localhost:993: Connection refused", true, null);
        };
        pool.openInBackground(2);
        SyncException e = assertThrows(SyncException.class, pool::borrow);
        assertEquals("remote: cannot connect to localhost:993: Connection refused", e.getMessage());
        factory.beforeOpen = n -> { };
        ServerPair worker = pool.borrow();
        pool.release(worker, false);
        assertEquals(1, factory.closed.get(), "a broken pair is closed at once");
        pool.close();
        assertTrue(pool.everOpened());
    }

    @Test
    void aPairIdleTooLongIsCheckedAndReplacedWhenItNoLongerAnswers() throws Exception {
        FakeMailServer dead = new FakeMailServer(1);
        dead.hook = op -> {
            if (op.equals("noop")) {
                throw new IllegalStateException("connection reset");
            }
        };
        FakeMailServer alive = new FakeMailServer(2);
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        PairPool pool = new PairPool(() -> opened.incrementAndGet() == 1 ? new ServerPair(dead, dead, () -> { })
                : new ServerPair(alive, alive, () -> { }), 1, 0, w -> { });
        ServerPair first = pool.borrow();
        pool.release(first, true);
        ServerPair second = pool.borrow();
        assertSame(alive, second.local(), "the idle pair did not answer NOOP: a new one was opened");
        pool.release(second, true);
        assertSame(alive, pool.borrow().local(), "a pair that answers is handed out again");
    }

    @Test
    void closingWaitsForTheBackgroundOpensAndClosesWhatTheyOpened() throws Exception {
        CountingFactory factory = new CountingFactory();
        CountDownLatch connecting = new CountDownLatch(1);
        CountDownLatch handshakeDone = new CountDownLatch(1);
        factory.beforeOpen = n -> {
            connecting.countDown();
            handshakeDone.await();
        };
        PairPool pool = new PairPool(factory, 3);
        pool.openInBackground(1);
        connecting.await();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        handshakeDone.countDown();
        closing.get();
        assertEquals(List.of(1, 1), List.of(factory.opened.get(), factory.closed.get()));
    }
}
