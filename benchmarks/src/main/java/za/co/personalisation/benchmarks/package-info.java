/**
 * JMH benchmarks, one class per hot path. Each benchmark states what it measures and the target it checks; the
 * measured figures, the command and the machine are recorded in docs/benchmarks.md.
 */
package za.co.personalisation.benchmarks;
