/** The seeded uniform source shared by tests, simulations and benchmarks. */
export { seededRandom } from '../platform/random.js';
