// odeflow kernel emulator: runs one launch of a kernel from odeflow_kernels.cu on CPU threads.
// Build: g++ -std=c++20 -O2 -pthread -DODEFLOW_HOST_EMULATION emulator.cpp -o odeflow-emulator
// Usage: odeflow-emulator <launch file>; the file is rewritten in place with every buffer's final contents.
// Launch file (little endian): int32 name length, name bytes, int32 blocks, int32 threads, int32 shared bytes,
// int32 argument count, then per argument a tag byte and its payload:
//   'i' int32 | 'l' int64 | 'f' float32 | 'd' float64 | 'n' (null pointer) | 'b' int64 byte length + bytes.
// Used by the GPU-free emulated parity tests (dev.odeflow.kernels.backend.cuda.EmulatedDevice).
#include "../odeflow_kernels.cu"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Arg {
    char tag = 0;
    int32_t i = 0;
    int64_t l = 0;
    float f = 0;
    double d = 0;
    std::vector<unsigned char> bytes;

    void* ptr() { return tag == 'n' ? nullptr : static_cast<void*>(bytes.data()); }
};

template <typename T>
T read(std::istream& in) {
    T v;
    in.read(reinterpret_cast<char*>(&v), sizeof(T));
    if (!in) throw std::runtime_error("truncated launch file");
    return v;
}

template <typename T>
void write(std::ostream& out, T v) {
    out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename F>
void run_grid(int blocks, int threads, F kernel) {
    for (int b = 0; b < blocks; b++) {
        std::barrier<> barrier(threads);
        odeflow_emu::block_barrier = &barrier;
        std::vector<std::thread> pool;
        pool.reserve(threads);
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([=]() {
                odeflow_emu::thread_idx = {static_cast<unsigned>(t), 0, 0};
                odeflow_emu::block_idx = {static_cast<unsigned>(b), 0, 0};
                odeflow_emu::block_dim = {static_cast<unsigned>(threads), 1, 1};
                kernel();
            });
        }
        for (auto& th : pool) th.join();
    }
}

void expect(std::vector<Arg>& a, const std::string& tags, const std::string& name) {
    if (a.size() != tags.size()) throw std::runtime_error(name + ": expected " + std::to_string(tags.size()) + " arguments");
    for (size_t k = 0; k < tags.size(); k++) {
        bool ok = tags[k] == 'p' ? (a[k].tag == 'b' || a[k].tag == 'n') : a[k].tag == tags[k];
        if (!ok) throw std::runtime_error(name + ": argument " + std::to_string(k) + " has tag " + a[k].tag);
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc != 2) throw std::runtime_error("usage: odeflow-emulator <launch file>");
        std::ifstream in(argv[1], std::ios::binary);
        if (!in) throw std::runtime_error(std::string("cannot open ") + argv[1]);
        int32_t len = read<int32_t>(in);
        std::string name(len, '\0');
        in.read(name.data(), len);
        int blocks = read<int32_t>(in), threads = read<int32_t>(in), shared = read<int32_t>(in);
        if (shared > static_cast<int>(sizeof(odeflow_emu::dynamic_shared))) throw std::runtime_error("shared memory too large");
        int count = read<int32_t>(in);
        std::vector<Arg> a(count);
        for (auto& x : a) {
            x.tag = read<char>(in);
            switch (x.tag) {
                case 'i': x.i = read<int32_t>(in); break;
                case 'l': x.l = read<int64_t>(in); break;
                case 'f': x.f = read<float>(in); break;
                case 'd': x.d = read<double>(in); break;
                case 'n': break;
                case 'b': {
                    int64_t n = read<int64_t>(in);
                    x.bytes.resize(n);
                    in.read(reinterpret_cast<char*>(x.bytes.data()), n);
                    break;
                }
                default: throw std::runtime_error(std::string("unknown argument tag ") + x.tag);
            }
        }
        in.close();
        std::memset(odeflow_emu::dynamic_shared, 0xFF, sizeof(odeflow_emu::dynamic_shared));
        auto P = [&](int k) { return a[k].ptr(); };
        if (name == "cnf_forward") {
            expect(a, "iipiipifippppl", name);
            run_grid(blocks, threads, [&]() {
                cnf_forward(a[0].i, a[1].i, (const int*) P(2), a[3].i, a[4].i, (const float*) P(5), a[6].i, a[7].f,
                            a[8].i, (const float*) P(9), (const float*) P(10), (float*) P(11), (float*) P(12), a[13].l);
            });
        } else if (name == "cnf_vjp") {
            expect(a, "iipiipifipppppplp", name);
            run_grid(blocks, threads, [&]() {
                cnf_vjp(a[0].i, a[1].i, (const int*) P(2), a[3].i, a[4].i, (const float*) P(5), a[6].i, a[7].f, a[8].i,
                        (const float*) P(9), (const float*) P(10), (const float*) P(11), (float*) P(12), (float*) P(13),
                        (float*) P(14), a[15].l, (double*) P(16));
            });
        } else if (name == "reduce_partials") {
            expect(a, "iipp", name);
            run_grid(blocks, threads, [&]() {
                reduce_partials(a[0].i, a[1].i, (const double*) P(2), (double*) P(3));
            });
        } else if (name == "rk_combine") {
            expect(a, "iipppppppppdp", name);
            run_grid(blocks, threads, [&]() {
                rk_combine(a[0].i, a[1].i, (const float*) P(2), (const float*) P(3), (const float*) P(4),
                           (const float*) P(5), (const float*) P(6), (const float*) P(7), (const float*) P(8),
                           (const float*) P(9), (const double*) P(10), a[11].d, (float*) P(12));
            });
        } else if (name == "rk_error_norm_partial") {
            expect(a, "iippppppppppdddp", name);
            run_grid(blocks, threads, [&]() {
                rk_error_norm_partial(a[0].i, a[1].i, (const float*) P(2), (const float*) P(3), (const float*) P(4),
                                      (const float*) P(5), (const float*) P(6), (const float*) P(7),
                                      (const float*) P(8), (const float*) P(9), (const float*) P(10),
                                      (const double*) P(11), a[12].d, a[13].d, a[14].d, (double*) P(15));
            });
        } else {
            throw std::runtime_error("unknown kernel " + name);
        }
        std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
        for (auto& x : a) {
            if (x.tag == 'b') {
                write<int64_t>(out, static_cast<int64_t>(x.bytes.size()));
                out.write(reinterpret_cast<const char*>(x.bytes.data()), x.bytes.size());
            }
        }
        if (!out) throw std::runtime_error("cannot write results");
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "odeflow-emulator: " << e.what() << std::endl;
        return 2;
    }
}
