// Jest runs CommonJS, and migrate-mongo is an ES module: jest.config.js compiles its files,
// and tests load only the parts the project uses (its init and create actions declare
// __dirname themselves, which CommonJS already has).
module.exports = {
  config: require('migrate-mongo/lib/env/config.js').default,
  status: require('migrate-mongo/lib/actions/status.js').default,
  up: require('migrate-mongo/lib/actions/up.js').default,
};
