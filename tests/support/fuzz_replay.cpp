// Replays a fuzz corpus (files or directories of files) through LLVMFuzzerTestOneInput, so
// every input a fuzzer ever found interesting runs in ctest without libFuzzer. A crash or a
// sanitizer report fails the test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

static int run_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<char> buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(buf.data()), buf.size());
  return 1;
}

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path root(argv[i]);
    if (fs::is_directory(root)) {
      for (auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) count += run_file(e.path());
    } else if (fs::is_regular_file(root)) {
      count += run_file(root);
    } else {
      std::fprintf(stderr, "fuzz replay: %s does not exist\n", argv[i]);
      return 1;
    }
  }
  // An empty corpus is a broken test, not a passing one.
  if (count == 0) {
    std::fprintf(stderr, "fuzz replay: no corpus inputs found\n");
    return 1;
  }
  std::printf("fuzz replay: %d inputs ran clean\n", count);
  return 0;
}
