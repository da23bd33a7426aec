package kstack.profile;

import java.util.Set;

/**
 * A generation module: the model of one mechanism (process creation, the syscall entry path, the
 * switch frame, ...) as one kernel generation implements it. Each mechanism is an interface that
 * extends this one; each implementation declares the cited {@link Feature}s it embodies, and the
 * profile table ({@code kstack.catalog.Profiles}) picks one implementation per mechanism, once per
 * profile. Code that needs the mechanism asks {@link Profile#module(Class)} at construction and keeps
 * the answer; nothing asks "which generation is this?" at run time.
 */
public interface Module {
  /** The cited features this implementation models; a profile's features are their union. */
  Set<Feature> features();
}
