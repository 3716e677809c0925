// let, const, function and class shadow API names as var does.
let context = 'a let';
const storage = 'a const';
function fetch() { return 'a function'; }
class crypto { static hash() { return 'a class'; } }

function main() {
  return [context, storage, fetch(), crypto.hash()];
}
