/**
 * Policy: declarative rules over metrics and events, and the actions they take (issue #5; the
 * language is in {@code docs/policy.md}).
 *
 * <p>{@link io.waveos.agent.policy.PolicyLoader} turns a YAML file into an immutable
 * {@link io.waveos.agent.policy.Policy}, with problems naming file, line and key path.
 * {@link io.waveos.agent.policy.PolicyEngine} is pure: fed samples and events in virtual (monotonic)
 * time, it returns {@link io.waveos.agent.policy.PolicyCommand}s; {@link io.waveos.agent.policy.PolicyExecutor}
 * performs them through ports. Loop thread only. Depends on {@code config} (the YAML reader),
 * {@code telemetry}, {@code evidence} (the incidents port), {@code mode} (values only),
 * {@code supervision} (the restart gate and run filter), {@code update.ActiveSlots} (a policy carried by
 * a config bundle) and {@code platform} ports; must not depend on
 * {@code platform.linux} or the agent's composition.
 */
package io.waveos.agent.policy;
