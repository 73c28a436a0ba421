module com.example.textutils {
    exports com.example.textutils;
}
