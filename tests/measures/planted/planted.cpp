// Planted for the function-size checker's own test (tests/measures/check_function_size.py):
// which functions it must report, and shapes it must not be confused by. Never compiled.
#include <string>

namespace planted {
namespace {

const char* kRaw = R"x(if (a) { while (b) } )" )x";  // braces and keywords in a raw string
const char kOpen = '{';  // a brace in a character literal
const long kBig = 1'000'000;  // a digit separator is no character literal

// 81 lines: reported.
int too_long(int x) {
  x += 0;
  x += 1;
  x += 2;
  x += 3;
  x += 4;
  x += 5;
  x += 6;
  x += 7;
  x += 8;
  x += 9;
  x += 10;
  x += 11;
  x += 12;
  x += 13;
  x += 14;
  x += 15;
  x += 16;
  x += 17;
  x += 18;
  x += 19;
  x += 20;
  x += 21;
  x += 22;
  x += 23;
  x += 24;
  x += 25;
  x += 26;
  x += 27;
  x += 28;
  x += 29;
  x += 30;
  x += 31;
  x += 32;
  x += 33;
  x += 34;
  x += 35;
  x += 36;
  x += 37;
  x += 38;
  x += 39;
  x += 40;
  x += 41;
  x += 42;
  x += 43;
  x += 44;
  x += 45;
  x += 46;
  x += 47;
  x += 48;
  x += 49;
  x += 50;
  x += 51;
  x += 52;
  x += 53;
  x += 54;
  x += 55;
  x += 56;
  x += 57;
  x += 58;
  x += 59;
  x += 60;
  x += 61;
  x += 62;
  x += 63;
  x += 64;
  x += 65;
  x += 66;
  x += 67;
  x += 68;
  x += 69;
  x += 70;
  x += 71;
  x += 72;
  x += 73;
  x += 74;
  x += 75;
  x += 76;
  x += 77;
  return x;
}

// 80 lines: the limit, not reported.
int long_enough(int x) {
  x += 0;
  x += 1;
  x += 2;
  x += 3;
  x += 4;
  x += 5;
  x += 6;
  x += 7;
  x += 8;
  x += 9;
  x += 10;
  x += 11;
  x += 12;
  x += 13;
  x += 14;
  x += 15;
  x += 16;
  x += 17;
  x += 18;
  x += 19;
  x += 20;
  x += 21;
  x += 22;
  x += 23;
  x += 24;
  x += 25;
  x += 26;
  x += 27;
  x += 28;
  x += 29;
  x += 30;
  x += 31;
  x += 32;
  x += 33;
  x += 34;
  x += 35;
  x += 36;
  x += 37;
  x += 38;
  x += 39;
  x += 40;
  x += 41;
  x += 42;
  x += 43;
  x += 44;
  x += 45;
  x += 46;
  x += 47;
  x += 48;
  x += 49;
  x += 50;
  x += 51;
  x += 52;
  x += 53;
  x += 54;
  x += 55;
  x += 56;
  x += 57;
  x += 58;
  x += 59;
  x += 60;
  x += 61;
  x += 62;
  x += 63;
  x += 64;
  x += 65;
  x += 66;
  x += 67;
  x += 68;
  x += 69;
  x += 70;
  x += 71;
  x += 72;
  x += 73;
  x += 74;
  x += 75;
  x += 76;
  return x;
}

// complexity 26: reported.
bool too_complex(int x) {
  return x == 0 ||
      x == 1 ||
      x == 2 ||
      x == 3 ||
      x == 4 ||
      x == 5 ||
      x == 6 ||
      x == 7 ||
      x == 8 ||
      x == 9 ||
      x == 10 ||
      x == 11 ||
      x == 12 ||
      x == 13 ||
      x == 14 ||
      x == 15 ||
      x == 16 ||
      x == 17 ||
      x == 18 ||
      x == 19 ||
      x == 20 ||
      x == 21 ||
      x == 22 ||
      x == 23 ||
      x == 24 ||
      x == 25;
}

// complexity 25: the limit, not reported.
bool complex_enough(int x) {
  return x == 0 ||
      x == 1 ||
      x == 2 ||
      x == 3 ||
      x == 4 ||
      x == 5 ||
      x == 6 ||
      x == 7 ||
      x == 8 ||
      x == 9 ||
      x == 10 ||
      x == 11 ||
      x == 12 ||
      x == 13 ||
      x == 14 ||
      x == 15 ||
      x == 16 ||
      x == 17 ||
      x == 18 ||
      x == 19 ||
      x == 20 ||
      x == 21 ||
      x == 22 ||
      x == 23 ||
      x == 24;
}

/* a comment with a function in it: int commented() { if (a) {} } */

}  // namespace

struct Table {
  const char* name;
  int (*f)(int);
};
// Braces of an initializer, with calls inside, are no function.
const Table kTable[] = {{"a", too_long}, {std::string("b").c_str(), nullptr}};

template <class T>
class Box {
 public:
  Box(T value, int n) : value_{value}, n_(n), s_{} { if (n) ++n_; }
  ~Box() {}
  bool operator()(int x) const { return x && n_; }
  bool operator==(const Box& o) const { return n_ == o.n_ || s_ == o.s_; }
  T get() const;

 private:
  T value_;
  int n_;
  std::string s_;
};

template <class T>
T Box<T>::get() const {
  auto pick = [&](int k) { return k > 0 ? value_ : T{}; };
  return pick(n_);
}

// Lambdas count in the function that holds them: 83 lines in all, reported.
void Holder::with_lambda() {
  auto f = [](int x) {
  x += 0;
  x += 1;
  x += 2;
  x += 3;
  x += 4;
  x += 5;
  x += 6;
  x += 7;
  x += 8;
  x += 9;
  x += 10;
  x += 11;
  x += 12;
  x += 13;
  x += 14;
  x += 15;
  x += 16;
  x += 17;
  x += 18;
  x += 19;
  x += 20;
  x += 21;
  x += 22;
  x += 23;
  x += 24;
  x += 25;
  x += 26;
  x += 27;
  x += 28;
  x += 29;
  x += 30;
  x += 31;
  x += 32;
  x += 33;
  x += 34;
  x += 35;
  x += 36;
  x += 37;
  x += 38;
  x += 39;
  x += 40;
  x += 41;
  x += 42;
  x += 43;
  x += 44;
  x += 45;
  x += 46;
  x += 47;
  x += 48;
  x += 49;
  x += 50;
  x += 51;
  x += 52;
  x += 53;
  x += 54;
  x += 55;
  x += 56;
  x += 57;
  x += 58;
  x += 59;
  x += 60;
  x += 61;
  x += 62;
  x += 63;
  x += 64;
  x += 65;
  x += 66;
  x += 67;
  x += 68;
  x += 69;
  x += 70;
  x += 71;
  x += 72;
  x += 73;
  x += 74;
  x += 75;
  x += 76;
  x += 77;
  };
  f(1);
}

}  // namespace planted
