/**
 * A DynamoDB stand-in with a latency distribution, for the per-shard benchmark only: never for tests that claim to
 * work with DynamoDB (those run against moto).
 */
package za.co.personalisation.benchmarks.standin;
