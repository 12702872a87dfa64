package io.minilb.demo;

import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A steady UDP query load against one resolver, counting every outcome: answered with addresses,
 * NXDOMAIN, other rcodes, and queries that got no answer at all within a second; and the round-trip
 * time of every query that got an answer.
 */
final class LoadClient implements AutoCloseable {

  final AtomicLong answered = new AtomicLong();
  final AtomicLong nxdomain = new AtomicLong();
  final AtomicLong otherRcode = new AtomicLong();
  final AtomicLong unanswered = new AtomicLong();
  private final List<Long> roundTrips = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean running = true;

  LoadClient(InetSocketAddress resolver, String name, int qps) {
    thread = new Thread(() -> run(resolver, name, qps), "load-" + resolver.getPort());
    thread.setDaemon(true);
    thread.start();
  }

  private void run(InetSocketAddress resolver, String name, int qps) {
    long interval = TimeUnit.SECONDS.toNanos(1) / qps;
    try (var socket = new DatagramSocket()) {
      socket.setSoTimeout(1_000);
      byte[] buf = new byte[1500];
      long next = System.nanoTime();
      int id = 0;
      while (running) {
        id = (id + 1) & 0xFFFF;
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        q.getHeader().setID(id);
        byte[] wire = q.toWire();
        long sent = System.nanoTime();
        socket.send(new DatagramPacket(wire, wire.length, resolver));
        try {
          Message r;
          do {
            var p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            r = new Message(Arrays.copyOf(p.getData(), p.getLength()));
          } while (r.getHeader().getID() != id);
          roundTrips.add(System.nanoTime() - sent);
          if (r.getRcode() == Rcode.NOERROR && r.getSection(Section.ANSWER).size() > 0) {
            answered.incrementAndGet();
          } else if (r.getRcode() == Rcode.NXDOMAIN) {
            nxdomain.incrementAndGet();
          } else {
            otherRcode.incrementAndGet();
          }
        } catch (SocketTimeoutException e) {
          unanswered.incrementAndGet();
        }
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    } catch (Exception e) {
      unanswered.incrementAndGet();
    }
  }

  /**
   * As a process of its own, so that the round trips it measures include no pause of the JVM that
   * runs the test: {@code host port name qps minimum}. Prints {@code warm} after the first second;
   * when its standard input closes, goes on until at least {@code minimum} queries were sent after
   * {@code warm}, then prints {@code lost <n>} and one {@code rtt <nanoseconds>} line per answer.
   */
  public static void main(String[] args) throws Exception {
    var resolver = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int qps = Integer.parseInt(args[3]);
    int minimum = Integer.parseInt(args[4]);
    try (var load = new LoadClient(resolver, args[2], qps)) {
      await().forever().until(() -> load.total() >= qps);
      long sentBefore = load.total();
      int from = load.roundTrips().size();
      long failedBefore = load.failures();
      System.out.println("warm");
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
      await().forever().until(() -> load.total() - sentBefore >= minimum);
      load.close();
      var out = new StringBuilder();
      out.append("lost ").append(load.failures() - failedBefore).append('\n');
      var all = load.roundTrips();
      all.subList(from, all.size()).forEach(n -> out.append("rtt ").append(n).append('\n'));
      System.out.print(out);
      System.out.flush();
    }
  }

  long total() {
    return answered.get() + nxdomain.get() + otherRcode.get() + unanswered.get();
  }

  /** Round-trip times in nanoseconds of the answered queries so far, in the order sent. */
  List<Long> roundTrips() {
    synchronized (roundTrips) {
      return List.copyOf(roundTrips);
    }
  }

  long failures() {
    return nxdomain.get() + otherRcode.get() + unanswered.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }

  @Override
  public String toString() {
    return "answered="
        + answered
        + " nxdomain="
        + nxdomain
        + " other="
        + otherRcode
        + " unanswered="
        + unanswered;
  }
}
