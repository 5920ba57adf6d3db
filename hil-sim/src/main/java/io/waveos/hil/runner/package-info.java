/**
 * Running campaigns: the scenario library, a campaign of scenarios on one tier (run, grade, report),
 * the command line ({@code waveos hil run|list}) and the narrated demo. The composition root of the
 * simulator; depends on every other package of it.
 */
package io.waveos.hil.runner;
