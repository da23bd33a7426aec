package kstack.gdb;

import java.io.IOException;
import java.util.List;
import kstack.cpu.Cpu;
import kstack.lang.Session;
import kstack.machine.Machine;
import kstack.mem.AddressSpace;
import kstack.mem.MemoryFault;

/**
 * One gdb connection: reads packets and answers them as gdb's Remote Serial Protocol says (an
 * unknown packet gets the empty reply, a packet that cannot be carried out an {@code E} code). Each
 * simulated CPU is a thread (thread id = CPU + 1); {@code Hg} picks the CPU whose registers and
 * address space {@code g}, {@code p}, {@code m} and {@code M} use, {@code Hc} the one that steps.
 */
final class GdbStub {
  /** The most bytes of one packet's data (PacketSize in qSupported, hex 0x4000). */
  static final int PACKET_SIZE = 0x4000;

  private final Machine m;
  private final Packets io;
  private final TargetDescription tdesc;
  private final Resume resume;
  private final Monitor monitor;

  /** What the server does once this connection ends. */
  enum End { DETACHED, KILLED, LEFT }

  GdbStub(Session session, Packets io) {
    this.m = session.machine();
    this.io = io;
    this.tdesc = TargetDescription.of(m.profile().arch());
    this.resume = new Resume(m, io);
    this.monitor = new Monitor(session, io);
  }

  /** Serves packets until the client detaches, kills or goes away. */
  End serve() throws IOException {
    while (true) {
      String p = io.read();
      if (p == null) {
        return End.LEFT;
      }
      if (p.equals(Packets.INTERRUPT)) {
        io.send(resume.stopReply(2)); // Ctrl-C while stopped: SIGINT, nothing runs
        continue;
      }
      if (p.equals(Packets.OVERSIZE)) {
        io.send("E01"); // longer than PacketSize: read to its end, not kept
        continue;
      }
      if (p.equals("k") || p.startsWith("vKill")) {
        if (p.startsWith("vKill")) {
          io.send("OK");
        }
        return End.KILLED;
      }
      if (p.startsWith("D")) {
        io.send("OK");
        return End.DETACHED;
      }
      String reply;
      try {
        reply = answer(p);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        reply = "E01"; // a malformed argument (bad hex, missing comma)
      } catch (RuntimeException e) {
        reply = "E03"; // the machine refused (a fault, a panic): the session goes on
      }
      if (reply != null) {
        io.send(reply);
      }
    }
  }

  /** The reply to one packet; null when the handler has sent it already. */
  private String answer(String p) throws IOException {
    char k = p.charAt(0);
    return switch (k) {
      case '?' -> resume.stopReply(5);
      case 'g' -> p.length() == 1 ? registers() : "";
      case 'G' -> writeRegisters(p.substring(1));
      case 'p' -> register(p.substring(1));
      case 'P' -> writeRegister(p.substring(1));
      case 'm' -> readMemory(p.substring(1));
      case 'M' -> writeMemory(p.substring(1));
      case 'H' -> thread(p);
      case 'T' -> cpuOf(p.substring(1)) >= 0 ? "OK" : "E02";
      case 'Z', 'z' -> resume.breakpoint(p);
      case 'c', 's', 'b' -> resume.run(p);
      case 'v' -> p.startsWith("vCont") ? resume.vcont(p) : "";
      case 'q' -> query(p);
      case 'Q' -> p.equals("QStartNoAckMode") ? noAck() : "";
      default -> "";
    };
  }

  private String noAck() throws IOException {
    io.send("OK");
    io.stopAcks();
    return null;
  }

  private String query(String p) throws IOException {
    if (p.startsWith("qSupported")) {
      return "PacketSize=" + Integer.toHexString(PACKET_SIZE) + ";qXfer:features:read+;"
          + "QStartNoAckMode+;swbreak+;ReverseStep+;ReverseContinue+;vContSupported+";
    }
    if (p.startsWith("qXfer:features:read:target.xml:")) {
      return xfer(tdesc.xml(), p.substring("qXfer:features:read:target.xml:".length()));
    }
    if (p.startsWith("qRcmd,")) {
      monitor.run(Packets.unhex(p.substring(6)));
      return null;
    }
    return switch (p.split("[:,]")[0]) {
      case "qAttached" -> "1";
      case "qC" -> "QC" + Integer.toHexString(m.selectedCpu() + 1);
      case "qfThreadInfo" -> threadList();
      case "qsThreadInfo" -> "l";
      case "qThreadExtraInfo" -> threadExtraInfo(p.substring(p.indexOf(',') + 1));
      case "qSymbol" -> "OK";
      default -> "";
    };
  }

  /** A piece of an annex: 'm' and more to come, or 'l' and the last of it. */
  private static String xfer(String annex, String range) {
    String[] a = range.split(",");
    int off = (int) Math.min(Long.parseLong(a[0], 16), annex.length());
    int len = (int) Math.min(Long.parseLong(a[1], 16), PACKET_SIZE - 8);
    int end = Math.min(annex.length(), off + len);
    return (end < annex.length() ? "m" : "l") + annex.substring(off, end);
  }

  private String threadList() {
    StringBuilder s = new StringBuilder("m");
    for (int c = 0; c < m.cpuCount(); c++) {
      s.append(c == 0 ? "" : ",").append(Integer.toHexString(c + 1));
    }
    return s.toString();
  }

  private String threadExtraInfo(String tid) {
    int c = cpuOf(tid);
    if (c < 0) {
      return "E02";
    }
    return Packets.hex("cpu " + c + " at " + m.describe(m.cpu(c).pc()));
  }

  /** The CPU of a thread id (hex, CPU + 1), or -1 when there is no such thread. */
  int cpuOf(String tid) {
    long t = Long.parseLong(tid, 16);
    return t >= 1 && t <= m.cpuCount() ? (int) t - 1 : -1;
  }

  /** Hg and Hc: 0 (any) and -1 (all) keep the selected CPU. */
  private String thread(String p) {
    String tid = p.substring(2);
    if (tid.equals("0") || tid.equals("-1")) {
      return "OK";
    }
    int c = cpuOf(tid);
    if (c < 0) {
      return "E02";
    }
    m.selectCpu(c);
    return "OK";
  }

  private String registers() {
    Cpu cpu = m.cpu(m.selectedCpu());
    StringBuilder s = new StringBuilder();
    for (TargetDescription.Reg r : tdesc.registers()) {
      s.append(TargetDescription.value(cpu, r));
    }
    return s.toString();
  }

  private String register(String n) {
    List<TargetDescription.Reg> regs = tdesc.registers();
    int i = Integer.parseInt(n, 16);
    return i < regs.size() ? TargetDescription.value(m.cpu(m.selectedCpu()), regs.get(i)) : "E00";
  }

  private String writeRegister(String p) {
    String[] a = p.split("=", 2);
    List<TargetDescription.Reg> regs = tdesc.registers();
    int i = Integer.parseInt(a[0], 16);
    if (i >= regs.size()) {
      return "E00";
    }
    TargetDescription.write(m.cpu(m.selectedCpu()), regs.get(i), a[1]);
    return "OK";
  }

  private String writeRegisters(String hex) {
    Cpu cpu = m.cpu(m.selectedCpu());
    int at = 0;
    for (TargetDescription.Reg r : tdesc.registers()) {
      int n = r.bits() / 4;
      if (at + n > hex.length()) {
        return "E00";
      }
      TargetDescription.write(cpu, r, hex.substring(at, at + n));
      at += n;
    }
    return "OK";
  }

  /**
   * m ADDR,LEN: as many bytes as can be read from ADDR on (gdb accepts a shorter reply), E14 (EFAULT)
   * when not even the first can.
   */
  private String readMemory(String p) {
    String[] a = p.split(",");
    long addr = Long.parseUnsignedLong(a[0], 16);
    int len = (int) Math.min(Long.parseLong(a[1], 16), PACKET_SIZE / 2);
    AddressSpace space = m.space(m.cpu(m.selectedCpu()));
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < len; i++) {
      try {
        s.append(String.format("%02x", space.read(addr + i, 1) & 0xff));
      } catch (MemoryFault | IllegalArgumentException f) {
        break;
      }
    }
    return s.length() == 0 && len > 0 ? "E14" : s.toString();
  }

  /** M ADDR,LEN:BYTES; nothing is written unless every byte's address is mapped (else E14). */
  private String writeMemory(String p) {
    int colon = p.indexOf(':');
    String[] a = p.substring(0, colon).split(",");
    long addr = Long.parseUnsignedLong(a[0], 16);
    byte[] b = Packets.bytes(p.substring(colon + 1));
    if (b.length != Integer.parseInt(a[1], 16)) {
      return "E01";
    }
    AddressSpace space = m.space(m.cpu(m.selectedCpu()));
    for (int i = 0; i < b.length; i++) {
      if (!space.isMapped(addr + i)) {
        return "E14";
      }
    }
    try {
      space.writeBytes(addr, b);
    } catch (MemoryFault f) {
      return "E14";
    }
    return "OK";
  }
}
