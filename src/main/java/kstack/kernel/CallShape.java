package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Module;

/**
 * How the profile's build compiles {@code return f(args)}: a call and a return in every build that
 * keeps frame pointers, a jump (a sibling call) in the x86_64 ORC builds. {@link SiblingCall} says
 * when gcc does which; the profile table picks one shape per profile.
 */
public interface CallShape extends Module {
  /** Ends b with {@code return target(args)} as this build compiles it. */
  RoutineBuilder ret(RoutineBuilder b, String text, String target, Args args);

  /** Whether a call in tail position becomes a jump that leaves no frame of the caller. */
  boolean jumps();

  /** The profile's call shape, asked once where a mechanism's routines are built. */
  static CallShape of(Kernel k) {
    return k.profile.module(CallShape.class);
  }
}
