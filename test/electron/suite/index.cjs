// Entry point VS Code calls in the extension host: runs the mocha tests next to this file.
const path = require('node:path');
const fs = require('node:fs');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: true });
  for (const f of fs.readdirSync(__dirname)) if (f.endsWith('.test.cjs')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
};
