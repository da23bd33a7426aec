package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * A frame-pointer build's {@code return f(args)}: a call and a return, so the caller's frame stays
 * below the callee's. The top Makefile adds -fno-optimize-sibling-calls to every CONFIG_FRAME_POINTER
 * build (Makefile@6.19:923-937, @4.16.13); i386 (UNWINDER_FRAME_POINTER), arm64 (selects
 * FRAME_POINTER) and the x86_64 2.6.32 build, whose kernel keeps frame pointers, all compile it so.
 */
public record FramePointerCalls() implements CallShape {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public RoutineBuilder ret(RoutineBuilder b, String text, String target,
      Args args) {
    return b.call(text, target, args).ret("return ret", Exec::retval);
  }

  @Override
  public boolean jumps() {
    return false;
  }
}
