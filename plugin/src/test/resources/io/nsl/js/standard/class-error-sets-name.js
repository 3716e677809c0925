// A class error that names itself in its constructor (the override mistake's best-known victim).
class MyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'MyError';
  }
}

function main() {
  try {
    throw new MyError('bad input');
  } catch (e) {
    return [e.name, e.message, String(e), e instanceof MyError, e instanceof Error,
      Object.keys(e), JSON.stringify(e), Error.prototype.name, new Error('x').name,
      Object.getPrototypeOf(e) === MyError.prototype];
  }
}
