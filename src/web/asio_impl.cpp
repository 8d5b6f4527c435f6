// The one translation unit that compiles Asio and Beast: the project defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, so every
// other file sees declarations only and the build does this work once.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
