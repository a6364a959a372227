// Runs the `quiver` command from the same build output as this file (…/test/helpers/ → …/src/cli/),
// so a test compiled into a private outDir exercises that outDir's server, not the shared dist/.
import { main } from '../../src/cli/main.js';

await main(process.argv);
