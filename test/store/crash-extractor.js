// A stand-in extractor for the worker-failure test: the cheap statistics, except that a clip
// whose signal is a constant 0.25 (the "poison" clip) ends its worker thread with exit code 7,
// as a native crash in an extractor would.
const cheap = require('../fixtures/augment/cheap-extractor');
module.exports = {
  name: 'crash-test',
  layout: cheap.layout,
  extract(y, sr) {
    const mid = y[y.length >> 1];
    if (Math.abs(mid - 0.25) < 1e-3 && Math.abs(y[(y.length >> 1) + 100] - 0.25) < 1e-3) process.exit(7);
    return cheap.extract(y, sr);
  },
};
