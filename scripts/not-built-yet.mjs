// Stands in for a root script whose feature has not landed yet, and says so instead of pretending.
const script = process.argv[2] ?? 'this script';
console.error(`\`pnpm ${script}\` is not built yet; see the open issues for when it lands.`);
process.exit(1);
