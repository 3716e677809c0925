// Classic prototype wiring: C.prototype = Object.create(Base.prototype); C.prototype.constructor = C.
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' makes a sound'; };

function Dog(name) { Animal.call(this, name); }
Dog.prototype = Object.create(Animal.prototype);
Dog.prototype.constructor = Dog;

function Stack() { this.items = []; }
Stack.prototype = Object.create(Array.prototype);
Stack.prototype.constructor = Stack;

function Registry() {}
Registry.prototype = Object.create(Map.prototype);
Registry.prototype.constructor = Registry;

function Plain() {}
Plain.prototype = Object.create(Object.prototype);
Plain.prototype.constructor = Plain;

function main() {
  const d = new Dog('Rex');
  return [d.speak(), d.constructor === Dog, d.name, new Stack().constructor === Stack,
    new Registry().constructor === Registry, new Plain().constructor === Plain,
    Object.keys(Dog.prototype), Object.keys(Stack.prototype), Array.prototype.constructor === Array,
    Map.prototype.constructor === Map, ({}).constructor === Object];
}
