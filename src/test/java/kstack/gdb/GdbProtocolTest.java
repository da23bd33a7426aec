package kstack.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stub's side of the Remote Serial Protocol on a raw socket, as a misbehaving client sees it:
 * bad checksums, unknown and malformed packets, oversize packets, a client that leaves in the middle
 * of a packet. Each is answered as the protocol says and the server goes on serving.
 */
class GdbProtocolTest {
  private static Served served;

  @BeforeAll
  static void serve() throws IOException {
    served = Served.after(Profiles.newest("x86_64").orElseThrow(), 1, "boot");
  }

  @AfterAll
  static void stop() throws Exception {
    served.close();
  }

  /** A raw client: writes bytes, reads the ack and one reply packet's data. */
  private static final class Client implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Client() throws IOException {
      socket = new Socket("127.0.0.1", served.port());
      socket.setSoTimeout(60_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    void raw(String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    void send(String data) throws IOException {
      int sum = 0;
      for (char c : data.toCharArray()) {
        sum += c;
      }
      raw("$" + data + "#" + String.format("%02x", sum & 0xff));
    }

    char ack() throws IOException {
      return (char) in.read();
    }

    /** The next packet's data, checking its checksum. */
    String reply() throws IOException {
      int b;
      while ((b = in.read()) != '$') {
        assertThat(b).as("end of stream before a reply").isNotNegative();
      }
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      int sum = 0;
      while ((b = in.read()) != '#') {
        data.write(b);
        sum += b;
      }
      String cs = "" + (char) in.read() + (char) in.read();
      assertThat(Integer.parseInt(cs, 16)).isEqualTo(sum & 0xff);
      return data.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends a packet, expects '+' and returns the reply. */
    String ask(String data) throws IOException {
      send(data);
      assertThat(ack()).isEqualTo('+');
      return reply();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aPacketWithABadChecksumIsRefusedWithAMinusAndItsRetransmissionIsAnswered()
      throws IOException {
    try (Client c = new Client()) {
      c.raw("$qC#00");
      assertThat(c.ack()).isEqualTo('-');
      assertThat(c.ask("qC")).isEqualTo("QC1");
    }
  }

  @Test
  void anUnknownPacketGetsTheEmptyReply() throws IOException {
    try (Client c = new Client()) {
      assertThat(c.ask("qKstackNoSuchQuery")).isEmpty();
      assertThat(c.ask("!")).isEmpty();
      assertThat(c.ask("Z2,1000,8")).as("watchpoints are not offered").isEmpty();
    }
  }

  @Test
  void malformedArgumentsAreAnsweredWithAnErrorCode() throws IOException {
    try (Client c = new Client()) {
      assertThat(c.ask("mzz,4")).isEqualTo("E01");
      assertThat(c.ask("m1000")).isEqualTo("E01");
      assertThat(c.ask("Hgzz")).isEqualTo("E01");
      assertThat(c.ask("Hg9")).as("no CPU 8").isEqualTo("E02");
      assertThat(c.ask("qRcmd,7")).as("odd hex").isEqualTo("E01");
      assertThat(c.ask("M" + Long.toHexString(served.machine().cpu(0).sp()) + ",2:00"))
          .as("length and data disagree").isEqualTo("E01");
    }
  }

  @Test
  void memoryThatIsNotMappedIsE14AndAReadStopsWhereTheMappingEnds() throws IOException {
    try (Client c = new Client()) {
      assertThat(c.ask("m0,8")).isEqualTo("E14");
      assertThat(c.ask("M0,1:00")).isEqualTo("E14");
      long sp = served.machine().cpu(0).sp();
      assertThat(c.ask("m" + Long.toHexString(sp) + ",8")).hasSize(16);
    }
  }

  @Test
  void aPacketLongerThanPacketSizeIsReadToItsEndAndRefusedAndTheNextOneServed()
      throws IOException {
    try (Client c = new Client()) {
      assertThat(c.ask("qSupported:multiprocess+")).contains("PacketSize=4000");
      assertThat(c.ask("M1000,10000:" + "00".repeat(0x10000))).isEqualTo("E01");
      assertThat(c.ask("qC")).isEqualTo("QC1");
    }
  }

  @Test
  void aClientThatLeavesInTheMiddleOfAPacketDoesNotEndTheServer() throws IOException {
    try (Client c = new Client()) {
      c.raw("$qSupported:swbrea");
    }
    try (Client c = new Client()) {
      c.raw("$qC#");
    }
    try (Client c = new Client()) {
      assertThat(c.ask("qC")).isEqualTo("QC1");
    }
  }

  @Test
  void noAckModeDropsTheAcknowledgementsFromTheNextPacketOn() throws IOException {
    try (Client c = new Client()) {
      assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
      c.send("qC");
      assertThat(c.reply()).isEqualTo("QC1");
    }
  }

  @Test
  void theTargetDescriptionNamesGdbsCoreFeatureAndArchitecture() throws IOException {
    try (Client c = new Client()) {
      String xml = c.ask("qXfer:features:read:target.xml:0,3fff");
      assertThat(xml).startsWith("l").contains("<architecture>i386:x86-64</architecture>")
          .contains("<feature name=\"org.gnu.gdb.i386.core\">")
          .contains("<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\" regnum=\"16\"/>");
      assertThat(c.ask("qXfer:features:read:target.xml:0,10")).startsWith("m").hasSize(17);
    }
  }

  @Test
  void ctrlCWhileStoppedIsAnsweredWithSigint() throws IOException {
    try (Client c = new Client()) {
      c.raw("\u0003");
      assertThat(c.reply()).isEqualTo("T02thread:1;");
    }
  }

  @Test
  void aMonitorCommandThatWouldMoveTheMachineBehindGdbsBackNamesGdbsOwn() throws IOException {
    try (Client c = new Client()) {
      String reply = c.ask("qRcmd," + Packets.hex("stepi"));
      assertThat(reply).startsWith("O");
      assertThat(Packets.unhex(reply.substring(1))).isEqualTo("monitor:1:1: 'stepi' moves the "
          + "machine behind gdb's back: use gdb's own 'stepi'\n");
      assertThat(c.reply()).isEqualTo("OK");
    }
  }

  @Test
  void aFailingMonitorCommandSaysWhereAndTheSessionGoesOn() throws IOException {
    try (Client c = new Client()) {
      String reply = c.ask("qRcmd," + Packets.hex("p nosuchsymbol"));
      assertThat(Packets.unhex(reply.substring(1))).startsWith("monitor:1:3: ");
      assertThat(c.reply()).isEqualTo("OK");
      assertThat(c.ask("qC")).isEqualTo("QC1");
    }
  }
}
