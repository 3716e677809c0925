// An ES5-style error subtype: a constructor function that sets message and name on the instance.
function ValidationError(message, field) {
  this.message = message;
  this.name = 'ValidationError';
  this.field = field;
}
ValidationError.prototype = Object.create(Error.prototype);
ValidationError.prototype.constructor = ValidationError;

function NotFound(message) {
  this.message = message;
}
NotFound.prototype = Object.create(Error.prototype);
NotFound.prototype.name = 'NotFound';

function main() {
  const v = new ValidationError('too short', 'name');
  const n = new NotFound('no such key');
  return [v.message, v.name, String(v), v.field, v.constructor === ValidationError,
    v instanceof Error, Object.keys(v), n.message, n.name, String(n), Object.keys(n),
    Object.prototype.toString.call(v), Error.prototype.message, Error.prototype.constructor === Error];
}
