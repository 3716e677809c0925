// The console's crypto is clients/js's, by path: one definition of the signed request message and
// of the secret envelope for the CLI's JavaScript twin and the browser. See README.md here.
export * from '../../../clients/js/src/browser.js';
