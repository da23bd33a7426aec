package kstack.tour;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kstack.catalog.Profiles;
import kstack.lang.Result;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.view.Picture;
import kstack.view.Pictures;

/**
 * Runs a tour: each stop's commands in the session of its machine (a fresh one where the stop
 * names its own profile, and for the first stop), then finds what the stop points at in the
 * drawing of the machine as it is now. The same tour on the same profile gives the same visits.
 */
public final class Guide {
  private final Tour tour;
  private final Profile profile;
  private final int cpus;

  /** One command a stop ran and what it printed. */
  public record Ran(String command, List<String> lines) {}

  /**
   * A stop reached: its index (from 0), the stop, the label of the profile it ran on, the commands
   * and their output, whose picture (pid), the picture it points into, what it points at, and the
   * live session.
   */
  public record Visit(int index, Tour.Stop stop, String profile, List<Ran> ran, int pid,
      Picture picture, Sights.Sight sight, Session session) {}

  /**
   * A guide through the tour on profile (null: the tour's default); a tour whose stops pick their
   * own machines takes no other profile.
   */
  public Guide(Tour tour, Profile profile, int cpus) {
    if (profile != null && tour.comparesProfiles()) {
      throw new TourError("tour " + tour.name() + " picks a machine per stop ("
          + String.join(", ", tour.profiles()) + "); --arch and --kernel do not apply to it");
    }
    this.tour = tour;
    this.profile = profile != null ? profile : named(tour.profiles().get(0));
    this.cpus = profile != null ? cpus : 1;
  }

  /** Every stop in order, each handed to each as it is reached. */
  public void walk(Consumer<Visit> each) {
    Session s = null;
    for (int i = 0; i < tour.stops().size(); i++) {
      Tour.Stop stop = tour.stops().get(i);
      if (s == null || stop.on() != null) {
        s = fresh(stop);
      }
      each.accept(run(i, stop, s));
    }
  }

  /**
   * Stop k reached from where its machine starts (the last stop up to k that makes a fresh one),
   * the stops before it replayed: what the page shows when it is moved to a stop.
   */
  public Visit visit(int k) {
    if (k < 0 || k >= tour.stops().size()) {
      throw new TourError("tour " + tour.name() + " has stops 1 to " + tour.stops().size()
          + ", not " + (k + 1));
    }
    int start = k;
    while (start > 0 && tour.stops().get(start).on() == null) {
      start--;
    }
    Session s = fresh(tour.stops().get(start));
    for (int i = start; i < k; i++) {
      run(i, tour.stops().get(i), s);
    }
    return run(k, tour.stops().get(k), s);
  }

  private Session fresh(Tour.Stop stop) {
    Profile p = stop.on() != null ? named(stop.on()) : profile;
    return new Session(Machine.create(p, stop.on() != null ? 1 : cpus));
  }

  /** The profile an "ARCH KERNEL" name of a tour file names. */
  public static Profile named(String archKernel) {
    String[] w = archKernel.split(" ");
    return Profiles.find(w[0], w[1]).orElseThrow(
        () -> new IllegalStateException("a tour names an unknown profile " + archKernel));
  }

  private Visit run(int i, Tour.Stop stop, Session s) {
    List<Ran> ran = new ArrayList<>();
    for (Tour.Command c : stop.commands()) {
      Result r;
      try {
        r = s.execute(new Source.Line(tour.file(), c.line(), c.column(), c.text()));
      } catch (ScriptError e) {
        throw new TourError("tour " + tour.name() + ", stop " + (i + 1) + " on "
            + s.machine().profile().label() + ": " + e.located());
      }
      ran.add(new Ran(c.text(), r.text()));
    }
    Machine m = s.machine();
    int pid = stop.pid() != null ? stop.pid() : m.inspector().taskStack(null, false).owner().pid();
    if (m.inspector().findTaskByVpid(pid) == 0 && pid != 0) {
      throw new TourError(where(i, stop) + ": no task with pid " + pid + " to draw");
    }
    Picture picture = Pictures.of(m.inspector().snapshot(), pid, "kstack " + m.profile().label()
        + ", tour " + tour.name() + ", stop " + (i + 1) + ": pid " + pid);
    Sights.Sight sight = Sights.find(picture, stop.look());
    if (sight == null) {
      throw new TourError(where(i, stop) + " on " + m.profile().label() + ": 'look: "
          + stop.look() + "' is in no region of pid " + pid + "'s drawing");
    }
    return new Visit(i, stop, m.profile().label(), ran, pid, picture, sight, s);
  }

  private String where(int i, Tour.Stop stop) {
    return "tour " + tour.name() + ", stop " + (i + 1) + " (" + tour.file() + ":" + stop.line()
        + ")";
  }

  public Tour tour() {
    return tour;
  }

  /** The profile the stops without their own run on. */
  public Profile profile() {
    return profile;
  }
}
